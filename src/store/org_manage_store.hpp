// Organisations as their members and reviewers see them: applications, editing with
// version checks, and the review queue of regional editors. Every query is scoped by
// the acting user: an organisation outside their reach is simply not found.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "db/database.hpp"
#include "model/org_details.hpp"
#include "model/org_form.hpp"

namespace verbund::store {

struct ManagedOrg {
  int64_t id = 0;
  std::string slug, name, status, review_note, applicant_reply;
  int64_t version = 0;
  int64_t region_id = 0;
  std::string logo_key, cover_key;  // '' when there is no image
  bool admin = true;                // false: the user is a member (organisations_of)
};

// Who acts: platform admins reach every organisation.
struct Actor {
  int64_t user_id = 0;
  bool platform_admin = false;
};

std::vector<ManagedOrg> organisations_of(db::Connection& c, int64_t user_id);

// The small gallery: at most kGalleryMax images, each with its alternative text.
inline constexpr int64_t kGalleryMax = 8;
struct GalleryImage {
  int64_t id = 0;
  std::string key, alt;
};
std::vector<GalleryImage> gallery_of(db::Connection& c, int64_t org_id);
// Errors: "not_found" (not the actor's), "gallery_full".
Result<int64_t> add_gallery_image(db::Connection& c, const Actor& a, int64_t org_id,
                                  const std::string& key, const std::string& alt, int64_t now);
// Returns the media key whose files the caller deletes after the commit.
Result<std::string> remove_gallery_image(db::Connection& c, const Actor& a, int64_t org_id,
                                         int64_t image_id);

// The organisation if the actor administers it.
std::optional<ManagedOrg> load_managed(db::Connection& c, const Actor& a, int64_t org_id);

enum class OrgImage { logo, cover };
// Points the organisation's logo or cover at `key` ('' removes it) and returns the key
// it had before, whose files the caller deletes after the commit. Error "not_found".
Result<std::string> set_image(db::Connection& c, const Actor& a, int64_t org_id, OrgImage which,
                              const std::string& key, int64_t now);

// Creates a pending organisation and makes `user_id` its organisation admin.
int64_t create_application(db::Connection& c, int64_t user_id, const model::OrgBasics& b,
                           int64_t region_id, int64_t now);

// The basics of an organisation the actor administers, or nullopt (→ 404).
std::optional<std::pair<model::OrgBasics, ManagedOrg>> load_for_edit(db::Connection& c,
                                                                     const Actor& a,
                                                                     int64_t org_id);

// Saves the basics if the stored version is still `expected_version`. Errors:
// "not_found" (not the actor's), "conflict" (someone saved in between). A rejected
// application becomes pending again with the applicant's reply.
Status update_basics(db::Connection& c, const Actor& a, int64_t org_id, int64_t expected_version,
                     const model::OrgBasics& b, int64_t region_id, int64_t now);

// The details section ("Weitere Angaben") of an organisation the actor administers, or
// nullopt (→ 404).
std::optional<std::pair<model::OrgDetails, ManagedOrg>> load_details(db::Connection& c,
                                                                     const Actor& a,
                                                                     int64_t org_id);

// Saves the details section if the stored version is still `expected_version`. The
// basics and the details share one version, so a save of either section in between is
// a conflict. Errors as update_basics.
Status update_details(db::Connection& c, const Actor& a, int64_t org_id, int64_t expected_version,
                      const model::OrgDetails& d, int64_t now);

struct ReviewItem {
  int64_t id = 0;
  std::string name, city, region_name, short_description, applicant_reply, applicant_email;
  int64_t created_at = 0;
};
// Pending organisations in the regions the actor edits (all for platform admins).
std::vector<ReviewItem> review_queue(db::Connection& c, const Actor& a);

// Publishes or rejects a pending organisation in the actor's regions. Error
// "not_found" otherwise.
Status decide(db::Connection& c, const Actor& a, int64_t org_id, bool approve,
              const std::string& note, int64_t now);

std::vector<std::string> reviewer_emails(db::Connection& c, int64_t region_id);
std::vector<std::pair<std::string, std::string>> admin_contacts(db::Connection& c,
                                                                int64_t org_id);  // email, locale

// The current slug for a former one (for 301 redirects).
std::optional<std::string> current_slug(db::Connection& c, const std::string& old_slug);

}  // namespace verbund::store
