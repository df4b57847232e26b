// Organisations: the public profile, applications, editing with version checks, images,
// and the review queue of regional editors. Everything an actor changes is scoped by
// the acting user: an organisation outside their reach is simply not found. Mail to
// reviewers and admins is queued in the transaction of the change.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "db/database.hpp"
#include "model/org_details.hpp"
#include "model/org_form.hpp"
#include "model/organisation.hpp"
#include "store/org_store.hpp"
#include "store/outbox_store.hpp"
#include "store/taxonomy_store.hpp"

namespace verbund::store {

struct ManagedOrg {
  int64_t id = 0;
  std::string slug, name, status, review_note, applicant_reply;
  int64_t version = 0;
  int64_t region_id = 0;
  std::string logo_key, cover_key;  // '' when there is no image
  bool admin = true;                // false: the user is a member (organisations_of)
  bool draft = false;               // pending but not sent to the editors yet
};

// Who acts: platform admins reach every organisation. Work the system does on its own
// has functions that say so, never a made-up actor.
struct Actor {
  int64_t user_id = 0;
  bool platform_admin = false;
};

// The small gallery: at most kGalleryMax images, each with its alternative text.
inline constexpr int64_t kGalleryMax = 8;
struct GalleryImage {
  int64_t id = 0;
  std::string key, alt;
};

enum class OrgImage { logo, cover };

struct ReviewItem {
  int64_t id = 0;
  std::string name, city, region_name, short_description, applicant_reply, applicant_email;
  int64_t created_at = 0;
};

// One line of an organisation's review history.
struct ReviewEvent {
  std::string kind;        // submitted, resubmitted, published, returned, move_*, moved
  std::string note;        // the Rückfrage, the reply, or "from → to" for moves
  std::string actor_name;  // '' when the account is gone
  int64_t created_at = 0;
};

// What an editor sees of one organisation: the whole profile as it would be published,
// its gallery, and what happened in review so far (oldest first).
struct ReviewDossier {
  model::Organisation org;
  std::vector<GalleryImage> gallery;
  std::vector<ReviewEvent> history;
  std::string applicant_email;
  bool awaiting_decision = false;  // pending and sent to the editors
};

// A published organisation's request to move to another regional association.
struct MoveItem {
  int64_t id = 0;
  std::string name, slug, city, from_region, to_region;
};

enum class BasicsSaved { saved, move_requested };

// One row of the platform admins' organisations page.
struct AdminOrgRow {
  int64_t id = 0;
  std::string name, slug, status, region_name, requested_region_name;
  std::vector<std::string> admin_emails;
};
struct AdminOrgPage {
  std::vector<AdminOrgRow> rows;
  int64_t total = 0;
};

// What the home page shows of the directory.
struct HomeFacts {
  struct Org {
    std::string name, slug, city, why;
  };
  int64_t organisations = 0, regions = 0;  // published ones, the regions they are in
  std::vector<Org> newest;                 // newest published first
  std::vector<Org> statements;             // "Warum wir dabei sind", a few, changing
};

// What the organisation forms offer: regions and the taxonomies, from one snapshot.
struct FormChoices {
  std::vector<model::Region> regions;
  Taxonomy taxonomy;
};

// What the public profile shows besides the organisation itself.
struct ProfileExtras {
  bool claimable = false;  // published without any admin
  std::vector<GalleryImage> gallery;
};

// Renders the mail to one admin about the decision on their organisation.
using ReviewComposer = std::function<Mail(const Addressee&, const ManagedOrg&)>;

// Thread-safe; every method runs in a transaction of its own.
class Organisations {
 public:
  Organisations(db::Database& db, int mail_attempts) : db_(db), mail_attempts_(mail_attempts) {}

  // ---- public pages
  std::optional<model::Organisation> published(const std::string& slug);
  ProfileExtras profile_extras(int64_t org_id);
  // The current slug for a former one (for 301 redirects).
  std::optional<std::string> renamed(const std::string& old_slug);
  int64_t count_published();
  // Every organisation for the platform admins, by name; `query` filters by name or
  // place, `status` ('' for all) by state.
  AdminOrgPage admin_list(const std::string& query, const std::string& status, int64_t offset,
                          int64_t limit);
  // Counts, the `newest` latest published organisations and `statements` statements,
  // whose choice moves on with `rotation` (the caller passes the hour, say).
  HomeFacts home_facts(int newest, int statements, int64_t rotation);
  // Where published organisations are, for the map (those of `ids` with coordinates).
  std::vector<OrgLocation> locations(const std::vector<int64_t>& ids);
  FormChoices form_choices();
  // The command line names regions and organisations by code and slug.
  std::optional<model::Region> region(const std::string& code);
  std::optional<int64_t> id_of(const std::string& slug);

  // ---- members' organisations
  // The organisations the user belongs to (ManagedOrg::admin says how).
  std::vector<ManagedOrg> of_user(int64_t user_id);
  // The organisation if the actor administers it.
  std::optional<ManagedOrg> managed(const Actor& a, int64_t org_id);
  // Creates a pending organisation, makes `user_id` its admin and queues `to_reviewer`
  // for each editor of its region.
  // With `submit` false it is a draft: nobody is told until save_basics submits it.
  int64_t apply(int64_t user_id, const model::OrgBasics& b, int64_t region_id, int64_t now,
                const Composer& to_reviewer, bool submit = true);
  // The basics of an organisation the actor administers, or nullopt (→ 404).
  std::optional<std::pair<model::OrgBasics, ManagedOrg>> basics(const Actor& a, int64_t org_id);
  // The organisation as it is stored, in region `region_id` (for a preview of typed
  // basics), if the actor administers it.
  std::optional<model::Organisation> preview_base(const Actor& a, int64_t org_id,
                                                  int64_t region_id);
  // Saves the basics if the stored version is still `expected_version`. Errors:
  // "not_found" (not the actor's), "conflict" (someone saved in between). A rejected
  // application becomes pending again with the applicant's reply, and `to_reviewer` is
  // queued for each editor of its region. A published organisation whose admin names
  // another region stays where it is and asks to move (`move_requested`): `to_mover` is
  // queued for each editor of the region asked for.
  // A draft is sent to the editors with `submit` (`to_submitted` for each of them).
  Result<BasicsSaved> save_basics(const Actor& a, int64_t org_id, int64_t expected_version,
                                  const model::OrgBasics& b, int64_t region_id, int64_t now,
                                  const Composer& to_reviewer, const Composer& to_mover,
                                  bool submit = true, const Composer& to_submitted = nullptr);
  // The details section ("Weitere Angaben"), or nullopt (→ 404).
  std::optional<std::pair<model::OrgDetails, ManagedOrg>> details(const Actor& a, int64_t org_id);
  // Saves the details if the stored version is still `expected_version`; basics and
  // details share one version. Errors as save_basics.
  Status save_details(const Actor& a, int64_t org_id, int64_t expected_version,
                      const model::OrgDetails& d, int64_t now);

  // ---- images
  // Points the logo or cover at `key` ('' removes it) and returns the key it had before,
  // whose files the caller deletes after the commit. Error "not_found".
  Result<std::string> change_image(const Actor& a, int64_t org_id, OrgImage which,
                                   const std::string& key, int64_t now);
  std::vector<GalleryImage> gallery(int64_t org_id);
  // Errors: "not_found" (not the actor's), "gallery_full". The organisation's row is
  // locked while the images are counted, so parallel uploads cannot overfill it.
  Result<int64_t> add_to_gallery(const Actor& a, int64_t org_id, const std::string& key,
                                 const std::string& alt, int64_t now);
  // Returns the media key whose files the caller deletes after the commit.
  Result<std::string> remove_from_gallery(const Actor& a, int64_t org_id, int64_t image_id);

  // ---- review
  // Pending organisations in the regions the actor edits (all for platform admins).
  std::vector<ReviewItem> pending_reviews(const Actor& a);
  // An organisation in the regions the actor edits (or asked to move there), sent for
  // review at least once; nullopt for drafts and everything out of reach.
  std::optional<ReviewDossier> dossier(const Actor& a, int64_t org_id);
  // Publishes or rejects a pending organisation in the actor's regions and queues
  // `to_admin` for each of its admins. Error "not_found" otherwise.
  Status review(const Actor& a, int64_t org_id, bool approve, const std::string& note, int64_t now,
                const ReviewComposer& to_admin);
  // Moves asked for into the regions the actor edits (all for platform admins).
  std::vector<MoveItem> pending_moves(const Actor& a);
  // Moves the organisation to the region it asked for, or leaves it, and queues
  // `to_admin` for each of its admins. Error "not_found" (no such request in reach).
  Status decide_move(const Actor& a, int64_t org_id, bool approve, int64_t now,
                     const ReviewComposer& to_admin);

 private:
  db::Database& db_;
  int mail_attempts_;
};

// Building blocks for other stores' transactions.
std::optional<ManagedOrg> load_managed(db::Connection& c, const Actor& a, int64_t org_id);
// Locks the organisation's row until the transaction ends (PostgreSQL; SQLite has one
// writer at a time): changes that keep an invariant over its rows (the gallery limit,
// the last admin) take turns.
void lock_organisation(db::Connection& c, int64_t org_id);
// The editors of a region, to be told about something to review there.
std::vector<Addressee> reviewers_of(db::Connection& c, int64_t region_id);

}  // namespace verbund::store
