// Account handlers: sign-up, confirmation, log-in/out, password reset, account settings.
#pragma once

#include "jobs/runner.hpp"
#include "web/app.hpp"

namespace verbund::web::accounts {

http::Response signup_show(Context& ctx);
http::Response signup_submit(Context& ctx);
http::Response confirm_show(Context& ctx);
http::Response confirm_email(Context& ctx);
http::Response resend_confirmation(Context& ctx);
http::Response correct_address(Context& ctx);

http::Response login_show(Context& ctx);
http::Response login_submit(Context& ctx);
http::Response logout(Context& ctx);

http::Response reset_request_show(Context& ctx);
http::Response reset_request_submit(Context& ctx);
http::Response reset_show(Context& ctx);
http::Response reset_submit(Context& ctx);

http::Response start_page(Context& ctx);
http::Response account_show(Context& ctx);
http::Response account_change_email(Context& ctx);
http::Response account_change_password(Context& ctx);
http::Response account_delete(Context& ctx);
http::Response account_email_change_show(Context& ctx);
http::Response account_confirm_email_change(Context& ctx);

http::Response switch_language(Context& ctx);

void register_routes(App& app);
// Schedules the purge of expired sessions, log-in failures and tokens.
void register_jobs(jobs::Runner& runner, db::Database& db, const core::Config& cfg);

}  // namespace verbund::web::accounts
