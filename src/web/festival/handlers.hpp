// The Digital-Festival (/festival/SLUG): its page with the phases of the call for
// proposals, the programme (accepted sessions by day and slot, filtered by topic and
// format) and its calendar feed; the submitters' form and their proposals; the
// reviewers' queue and scoring form ("save and next"); the committee's list with bulk
// decisions, each proposal's reviews, scheduling into the programme, and the reviewer
// assignments. Who may do what: submitters are members of an organisation (their
// organisation's proposals), reviewers are assigned per festival (Festivals::may_review
// says which proposals), the committee are platform admins; everyone else gets 404 on
// another's proposal and 403 with a sentence on a page they may not use.
#pragma once

#include "store/festival_store.hpp"
#include "web/app.hpp"

namespace verbund::web::festival {

http::Response festival_page(Context& ctx);
http::Response programme_page(Context& ctx);
http::Response festival_ics(Context& ctx);

http::Response submit_page(Context& ctx);
http::Response submit(Context& ctx);
http::Response own_proposals(Context& ctx);
http::Response own_proposal_page(Context& ctx);
http::Response revise_page(Context& ctx);
http::Response revise(Context& ctx);
http::Response withdraw(Context& ctx);

http::Response review_list(Context& ctx);
http::Response review_page(Context& ctx);
http::Response save_review(Context& ctx);

http::Response manage_page(Context& ctx);
http::Response decide(Context& ctx);
http::Response manage_proposal_page(Context& ctx);
http::Response schedule(Context& ctx);
http::Response add_reviewer(Context& ctx);
http::Response remove_reviewer(Context& ctx);

// The festival the path names (parameter 0), or none.
std::optional<store::Festival> festival_of(Context& ctx);
// The committee: platform admins.
bool manages(const Context& ctx);
// The organisations the signed-in person belongs to (admin or member), with names.
struct OwnOrganisation {
  int64_t id = 0;
  std::string name;
};
std::vector<OwnOrganisation> own_organisations(const Context& ctx);
bool belongs_to(const Context& ctx, int64_t organisation_id);

// The kinds of session a proposal can be, and the lengths (minutes) it can have.
extern const std::vector<std::string> kKinds;
extern const std::vector<int64_t> kDurations;

// FESTIVAL_TITLE, FESTIVAL_URL and the festival's phase texts into `d`.
void fill_festival(Context& ctx, ctemplate::TemplateDictionary& d, const store::Festival& f);
// A proposal's fields for a page (title, kind, format, topic, duration, abstract as
// HTML, notes); `reveal`: also who submitted (organisation, speakers, submitter).
void fill_proposal(Context& ctx, ctemplate::TemplateDictionary& d, const store::Proposal& p,
                   bool reveal);
// "3,7" (German decimal comma) or "–".
std::string score_text(const std::string& locale, std::optional<double> v);

void register_routes(App& app);

}  // namespace verbund::web::festival
