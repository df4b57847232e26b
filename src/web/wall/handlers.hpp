// The Social Wall: the wall with its filters, live updates and feeds out; an
// organisation's channels (sources) and its directly submitted posts.
#pragma once

#include "jobs/runner.hpp"
#include "store/post_store.hpp"
#include "store/source_store.hpp"
#include "web/app.hpp"

namespace verbund::web::wall {

http::Response wall_page(Context& ctx);
http::Response wall_newer(Context& ctx);
http::Response wall_atom(Context& ctx);
http::Response wall_json(Context& ctx);
http::Response sources_show(Context& ctx);
http::Response sources_add(Context& ctx);
http::Response sources_remove(Context& ctx);
http::Response sources_moderation(Context& ctx);
http::Response direct_post(Context& ctx);
http::Response moderation_queue(Context& ctx);
http::Response moderation_hide(Context& ctx);
http::Response moderation_show(Context& ctx);
http::Response moderation_dismiss(Context& ctx);
http::Response moderation_block(Context& ctx);
http::Response moderation_unblock(Context& ctx);
http::Response moderation_words(Context& ctx);
http::Response report_form(Context& ctx);
http::Response report_submit(Context& ctx);
http::Response own_post_visibility(Context& ctx);
http::Response kiosk_page(Context& ctx);
http::Response kiosk_state(Context& ctx);
http::Response kiosk_controls(Context& ctx);
http::Response kiosk_control(Context& ctx);

// Fills a list of post cards (templates/wall/posts.html's POST sections) into `d`.
void fill_posts(Context& ctx, ctemplate::TemplateDictionary& d,
                const std::vector<store::WallPost>& posts);
// "vor 5 Minuten", "gestern", "3. Dezember 2026".
std::string relative_time(const std::string& locale, int64_t t, int64_t now);

// Why a source could not be read, in the admin's words (fetch, parse or store error code).
std::string source_problem(const std::string& locale, const std::string& error, int status,
                           const std::string& closed_network);
// The mail to an organisation's admins about a source that keeps failing.
store::SourceComposer source_failure_mail(const core::Config& config);

void register_routes(App& app);
// The wall's periodic work: the hashtag counts (every 10 minutes and after moderation).
void register_jobs(jobs::Runner& runner, db::Database& db);

}  // namespace verbund::web::wall
