#include "store/org_manage_store.hpp"

#include <cctype>
#include <map>

#include "model/organisation.hpp"
#include "search/places.hpp"
#include "store/directory_store.hpp"
#include "store/org_claim_store.hpp"
#include "store/org_store.hpp"
#include "store/taxonomy_store.hpp"
#include "store/user_store.hpp"

namespace verbund::store {

namespace {

void replace_taxonomies(db::Connection& c, int64_t id, const model::OrgBasics& b) {
  c.execute("DELETE FROM organisation_fields WHERE organisation_id = $1", {id});
  c.execute("DELETE FROM organisation_target_groups WHERE organisation_id = $1", {id});
  for (const auto& f : b.fields)
    c.execute("INSERT INTO organisation_fields (organisation_id, field_key) VALUES ($1, $2)",
              {id, f});
  for (const auto& g : b.target_groups)
    c.execute("INSERT INTO organisation_target_groups (organisation_id, group_key) VALUES ($1, $2)",
              {id, g});
}

// Rows the actor may manage: organisation admins of it, or platform admins.
constexpr const char* kManaged = R"sql(
  SELECT o.id, o.slug, o.name, o.status, o.review_note, o.applicant_reply, o.version,
         o.region_id, o.logo_key, o.cover_key,
         (o.status = 'pending' AND o.submitted_at IS NULL) AS draft
    FROM organisations o
   WHERE o.id = $2
     AND ($3 = 1 OR EXISTS (SELECT 1 FROM user_roles ur
                             WHERE ur.organisation_id = o.id AND ur.user_id = $1
                               AND ur.role = 'org_admin')))sql";

ManagedOrg managed_from(const db::Row& r) {
  ManagedOrg m{r.int64("id"),      r.text("slug"),        r.text("name"),
               r.text("status"),   r.text("review_note"), r.text("applicant_reply"),
               r.int64("version"), r.int64("region_id"),  r.text("logo_key"),
               r.text("cover_key")};
  m.draft = r.boolean("draft");
  return m;
}

// One line of the review history (table organisation_reviews).
void record_review(db::Connection& c, int64_t org_id, const char* kind, const std::string& note,
                   std::optional<int64_t> actor_id, int64_t now) {
  c.execute(R"sql(
    INSERT INTO organisation_reviews (organisation_id, kind, note, actor_id, created_at)
    VALUES ($1, $2, $3, $4, $5))sql",
            {org_id, kind, note, actor_id, now});
}

// "Landesverband A → Landesverband B", as the history notes a move.
std::string move_note(db::Connection& c, int64_t from_region, int64_t to_region) {
  auto name = [&](int64_t id) {
    auto r = c.query_one("SELECT name FROM regions WHERE id = $1", {id});
    return r ? r->text("name") : std::string();
  };
  return name(from_region) + " → " + name(to_region);
}

}  // namespace

std::optional<ManagedOrg> load_managed(db::Connection& c, const Actor& a, int64_t org_id) {
  auto m = c.query_one(kManaged, {a.user_id, org_id, a.platform_admin ? 1 : 0});
  if (!m) return std::nullopt;
  return managed_from(*m);
}

void lock_organisation(db::Connection& c, int64_t org_id) {
  if (c.dialect() == db::Dialect::postgres)
    c.query("SELECT id FROM organisations WHERE id = $1 FOR UPDATE", {org_id});
}

std::vector<Addressee> reviewers_of(db::Connection& c, int64_t region_id) {
  std::vector<Addressee> out;
  for (const auto& r : c.query(R"sql(
      SELECT DISTINCT u.email, u.display_name FROM user_roles ur JOIN users u ON u.id = ur.user_id
       WHERE ur.role = 'regional_editor' AND ur.region_id = $1 AND u.disabled_at IS NULL)sql",
                               {region_id}))
    // Reviewers hear about new work in German, the federation's working language.
    out.push_back(Addressee{r.text("email"), "de", r.text("display_name")});
  return out;
}

namespace {

Result<std::string> set_image(db::Connection& c, const Actor& a, int64_t org_id, OrgImage which,
                              const std::string& key, int64_t now) {
  auto m = load_managed(c, a, org_id);
  if (!m) return make_error("not_found", "organisation not found");
  if (which == OrgImage::logo) {
    c.execute("UPDATE organisations SET logo_key = $2, updated_at = $3 WHERE id = $1",
              {org_id, key, now});
    bump_directory_generation(c);  // the directory's cards show the logo
  } else
    c.execute("UPDATE organisations SET cover_key = $2, updated_at = $3 WHERE id = $1",
              {org_id, key, now});
  return which == OrgImage::logo ? m->logo_key : m->cover_key;
}

std::vector<ManagedOrg> organisations_of(db::Connection& c, int64_t user_id) {
  std::vector<ManagedOrg> out;
  for (const auto& r : c.query(R"sql(
      SELECT o.id, o.slug, o.name, o.status, o.review_note, o.applicant_reply, o.version,
             o.region_id, o.logo_key, o.cover_key,
             (o.status = 'pending' AND o.submitted_at IS NULL) AS draft,
             MAX(CASE WHEN ur.role = 'org_admin' THEN 1 ELSE 0 END) AS admin
        FROM organisations o JOIN user_roles ur ON ur.organisation_id = o.id
       WHERE ur.user_id = $1 AND ur.role IN ('org_admin', 'org_member')
       GROUP BY o.id
       ORDER BY o.name)sql",
                               {user_id})) {
    out.push_back(managed_from(r));
    out.back().admin = r.int64("admin") == 1;
  }
  return out;
}

int64_t create_application(db::Connection& c, int64_t user_id, const model::OrgBasics& b,
                           int64_t region_id, int64_t now) {
  model::Organisation o;
  model::apply_basics(o, b, region_id);
  // The form asks for no Bundesland: the postcode says it (the directory filters by it).
  if (o.state.empty()) o.state = search::postcode_state(o.postcode);
  o.status = "pending";
  int64_t id = insert_organisation(c, o, now);
  auto st = grant_role(c, user_id, model::Role::org_admin, std::nullopt, id);
  if (!st) throw db::DbError(db::DbError::Kind::constraint, st.error().message);
  return id;
}

std::optional<std::pair<model::OrgBasics, ManagedOrg>> load_for_edit(db::Connection& c,
                                                                     const Actor& a,
                                                                     int64_t org_id) {
  auto m = c.query_one(kManaged, {a.user_id, org_id, a.platform_admin ? 1 : 0});
  if (!m) return std::nullopt;
  auto r = c.query_one(R"sql(
    SELECT o.name, o.short_name, o.legal_form, rg.code, o.street, o.postcode, o.city,
           o.short_description, o.about, o.email, o.phone, o.website, o.applicant_reply
      FROM organisations o JOIN regions rg ON rg.id = o.region_id WHERE o.id = $1)sql",
                       {org_id});
  model::OrgBasics b{r->text("name"),
                     r->text("short_name"),
                     r->text("legal_form"),
                     r->text("code"),
                     r->text("street"),
                     r->text("postcode"),
                     r->text("city"),
                     r->text("short_description"),
                     r->text("about"),
                     r->text("email"),
                     r->text("phone"),
                     r->text("website"),
                     {},
                     {},
                     r->text("applicant_reply")};
  for (const auto& f :
       c.query("SELECT field_key FROM organisation_fields WHERE organisation_id = $1", {org_id}))
    b.fields.push_back(f.text("field_key"));
  for (const auto& g : c.query(
           "SELECT group_key FROM organisation_target_groups WHERE organisation_id = $1", {org_id}))
    b.target_groups.push_back(g.text("group_key"));
  return std::make_pair(std::move(b), managed_from(*m));
}

Result<bool> update_basics(db::Connection& c, const Actor& a, int64_t org_id,
                           int64_t expected_version, const model::OrgBasics& b, int64_t region_id,
                           int64_t now, bool submit) {
  auto m = c.query_one(kManaged, {a.user_id, org_id, a.platform_admin ? 1 : 0});
  if (!m) return make_error("not_found", "store: organisation not managed by user");
  // A published organisation moves to another association only when that association's
  // editors agree: its admins' choice becomes a request (platform admins move it).
  bool move_request =
      !a.platform_admin && m->text("status") == "published" && m->int64("region_id") != region_id;
  // The version check and the write are one statement: two editors cannot both win.
  auto changed = c.execute(
      R"sql(
    UPDATE organisations
       SET name = $3, short_name = $4, legal_form = $5,
           region_id = CASE WHEN $17 = 1 THEN region_id ELSE $6 END,
           requested_region_id = CASE WHEN $17 = 1 THEN $6 ELSE NULL END, street = $7,
           state = CASE WHEN $18 <> '' THEN $18 ELSE state END,
           submitted_at = CASE WHEN submitted_at IS NULL AND $19 = 1 THEN $15 ELSE submitted_at END,
           postcode = $8, city = $9, short_description = $10, about = $11, email = $12,
           phone = $13, website = $14, updated_at = $15, version = version + 1,
           applicant_reply = CASE WHEN status = 'rejected' THEN $16 ELSE applicant_reply END,
           status = CASE WHEN status = 'rejected' THEN 'pending' ELSE status END
     WHERE id = $1 AND version = $2)sql",
      {org_id, expected_version, b.name, b.short_name, b.legal_form, region_id, b.street,
       b.postcode, b.city, b.short_description, b.about, b.email, b.phone, b.website, now, b.reply,
       move_request ? 1 : 0, search::postcode_state(b.postcode), submit ? 1 : 0});
  if (changed == 0) return make_error("conflict", "store: organisation changed meanwhile");
  replace_taxonomies(c, org_id, b);
  index_organisation(c, org_id);
  const std::string status = m->text("status");
  int64_t from_region = m->int64("region_id");
  if (m->boolean("draft") && submit)
    record_review(c, org_id, "submitted", "", a.user_id, now);
  else if (status == "rejected")
    record_review(c, org_id, "resubmitted", b.reply, a.user_id, now);
  else if (status == "published" && from_region != region_id)
    record_review(c, org_id, move_request ? "move_requested" : "moved",
                  move_note(c, from_region, region_id), a.user_id, now);
  return move_request;
}

std::optional<std::pair<model::OrgDetails, ManagedOrg>> load_details(db::Connection& c,
                                                                     const Actor& a,
                                                                     int64_t org_id) {
  auto m = c.query_one(kManaged, {a.user_id, org_id, a.platform_admin ? 1 : 0});
  if (!m) return std::nullopt;
  auto r = c.query_one(R"sql(
    SELECT why, founded, languages, accessibility, opening_hours, latitude, longitude,
           social_mastodon, social_instagram, social_facebook, social_linkedin, social_youtube,
           feed_url, donation_url, legal_representative, register_entry, content_responsible
      FROM organisations WHERE id = $1)sql",
                       {org_id});
  model::OrgDetails d;
  d.why = r->text("why");
  d.founded = r->opt_int64("founded");
  d.languages = model::split_language_codes(r->text("languages"));
  d.accessibility = r->text("accessibility");
  d.opening_hours = r->text("opening_hours");
  d.latitude = r->opt_double("latitude");
  d.longitude = r->opt_double("longitude");
  d.mastodon = r->text("social_mastodon");
  d.instagram = r->text("social_instagram");
  d.facebook = r->text("social_facebook");
  d.linkedin = r->text("social_linkedin");
  d.youtube = r->text("social_youtube");
  d.feed_url = r->text("feed_url");
  d.donation_url = r->text("donation_url");
  d.legal_representative = r->text("legal_representative");
  d.register_entry = r->text("register_entry");
  d.content_responsible = r->text("content_responsible");
  return std::make_pair(std::move(d), managed_from(*m));
}

Status update_details(db::Connection& c, const Actor& a, int64_t org_id, int64_t expected_version,
                      const model::OrgDetails& d, int64_t now) {
  auto m = c.query_one(kManaged, {a.user_id, org_id, a.platform_admin ? 1 : 0});
  if (!m) return make_error("not_found", "store: organisation not managed by user");
  std::string languages;
  for (const auto& code : d.languages) languages += (languages.empty() ? "" : ",") + code;
  // As in update_basics: the version check and the write are one statement.
  auto changed = c.execute(R"sql(
    UPDATE organisations
       SET why = $3, founded = $4, languages = $5, accessibility = $6, opening_hours = $7,
           latitude = $8, longitude = $9, social_mastodon = $10, social_instagram = $11,
           social_facebook = $12, social_linkedin = $13, social_youtube = $14, feed_url = $15,
           donation_url = $16, legal_representative = $17, register_entry = $18,
           content_responsible = $19, updated_at = $20, version = version + 1
     WHERE id = $1 AND version = $2)sql",
                           {org_id,
                            expected_version,
                            d.why,
                            d.founded,
                            languages,
                            d.accessibility,
                            d.opening_hours,
                            d.latitude,
                            d.longitude,
                            d.mastodon,
                            d.instagram,
                            d.facebook,
                            d.linkedin,
                            d.youtube,
                            d.feed_url,
                            d.donation_url,
                            d.legal_representative,
                            d.register_entry,
                            d.content_responsible,
                            now});
  if (changed == 0) return make_error("conflict", "store: organisation changed meanwhile");
  index_organisation(c, org_id);  // "why" is searchable
  return Ok{};
}

std::vector<ReviewItem> review_queue(db::Connection& c, const Actor& a) {
  std::vector<ReviewItem> out;
  for (const auto& r : c.query(R"sql(
      SELECT o.id, o.name, o.city, rg.name AS region_name, o.short_description,
             o.applicant_reply,
             COALESCE((SELECT u.email FROM user_roles ur JOIN users u ON u.id = ur.user_id
                        WHERE ur.organisation_id = o.id AND ur.role = 'org_admin'
                        ORDER BY ur.id LIMIT 1), '') AS applicant_email,
             o.created_at
        FROM organisations o JOIN regions rg ON rg.id = o.region_id
       WHERE o.status = 'pending' AND o.submitted_at IS NOT NULL
         AND ($2 = 1 OR o.region_id IN (SELECT region_id FROM user_roles
                                         WHERE user_id = $1 AND role = 'regional_editor'))
       ORDER BY o.submitted_at, o.id)sql",
                               {a.user_id, a.platform_admin ? 1 : 0}))
    out.push_back(ReviewItem{r.int64("id"), r.text("name"), r.text("city"), r.text("region_name"),
                             r.text("short_description"), r.text("applicant_reply"),
                             r.text("applicant_email"), r.int64("created_at")});
  return out;
}

// Moves asked for into the regions the actor edits (all for platform admins).
std::vector<MoveItem> move_queue(db::Connection& c, const Actor& a) {
  std::vector<MoveItem> out;
  for (const auto& r : c.query(R"sql(
      SELECT o.id, o.name, o.slug, o.city, f.name AS from_region, t.name AS to_region
        FROM organisations o JOIN regions f ON f.id = o.region_id
        JOIN regions t ON t.id = o.requested_region_id
       WHERE o.status = 'published'
         AND ($2 = 1 OR o.requested_region_id IN (SELECT region_id FROM user_roles
                                                   WHERE user_id = $1 AND role = 'regional_editor'))
       ORDER BY o.updated_at, o.id)sql",
                               {a.user_id, a.platform_admin ? 1 : 0}))
    out.push_back(MoveItem{r.int64("id"), r.text("name"), r.text("slug"), r.text("city"),
                           r.text("from_region"), r.text("to_region")});
  return out;
}

Status decide(db::Connection& c, const Actor& a, int64_t org_id, bool approve,
              const std::string& note, int64_t now) {
  auto changed = c.execute(R"sql(
    UPDATE organisations
       SET status = $3, review_note = $4, reviewed_at = $5, reviewed_by = $1,
           version = version + 1, updated_at = $5
     WHERE id = $2 AND status = 'pending' AND submitted_at IS NOT NULL
       AND ($6 = 1 OR region_id IN (SELECT region_id FROM user_roles
                                     WHERE user_id = $1 AND role = 'regional_editor')))sql",
                           {a.user_id, org_id, approve ? "published" : "rejected",
                            approve ? "" : note, now, a.platform_admin ? 1 : 0});
  if (changed == 0) return make_error("not_found", "store: no pending organisation in reach");
  record_review(c, org_id, approve ? "published" : "returned", approve ? "" : note, a.user_id, now);
  bump_directory_generation(c);
  return Ok{};
}

std::vector<std::pair<std::string, std::string>> admin_contacts(db::Connection& c, int64_t org_id) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& r : c.query(R"sql(
      SELECT u.email, u.locale FROM user_roles ur JOIN users u ON u.id = ur.user_id
       WHERE ur.role = 'org_admin' AND ur.organisation_id = $1 AND u.disabled_at IS NULL)sql",
                               {org_id}))
    out.emplace_back(r.text("email"), r.text("locale"));
  return out;
}

std::optional<std::string> current_slug(db::Connection& c, const std::string& old_slug) {
  auto r = c.query_one(R"sql(
    SELECT o.slug FROM organisation_slugs s JOIN organisations o ON o.id = s.organisation_id
     WHERE s.slug = $1 AND o.status = 'published')sql",
                       {old_slug});
  if (!r) return std::nullopt;
  return r->text("slug");
}

std::vector<GalleryImage> gallery_of(db::Connection& c, int64_t org_id) {
  std::vector<GalleryImage> out;
  for (const auto& r : c.query(R"sql(
      SELECT id, media_key, alt FROM organisation_images
       WHERE organisation_id = $1 ORDER BY id)sql",
                               {org_id}))
    out.push_back(GalleryImage{r.int64("id"), r.text("media_key"), r.text("alt")});
  return out;
}

Result<int64_t> add_gallery_image(db::Connection& c, const Actor& a, int64_t org_id,
                                  const std::string& key, const std::string& alt, int64_t now) {
  if (!load_managed(c, a, org_id)) return make_error("not_found", "organisation not found");
  // Counted under the row lock, in a read committed transaction: the count sees every
  // image committed by the upload that held the lock before.
  lock_organisation(c, org_id);
  if (c.query_int("SELECT COUNT(*) FROM organisation_images WHERE organisation_id = $1",
                  {org_id}) >= kGalleryMax)
    return make_error("gallery_full", "the gallery is full");
  return c
      .query_one(R"sql(
    INSERT INTO organisation_images (organisation_id, media_key, alt, created_at)
    VALUES ($1, $2, $3, $4) RETURNING id)sql",
                 {org_id, key, alt, now})
      ->int64("id");
}

Result<std::string> remove_gallery_image(db::Connection& c, const Actor& a, int64_t org_id,
                                         int64_t image_id) {
  if (!load_managed(c, a, org_id)) return make_error("not_found", "organisation not found");
  auto r = c.query_one(
      "SELECT media_key FROM organisation_images WHERE id = $1 AND organisation_id = $2",
      {image_id, org_id});
  if (!r) return make_error("not_found", "image not found");
  c.execute("DELETE FROM organisation_images WHERE id = $1", {image_id});
  return r->text("media_key");
}

}  // namespace

// ---- Organisations ------------------------------------------------------------------

std::optional<model::Organisation> Organisations::published(const std::string& slug) {
  return db_.read([&](db::Connection& c) { return find_published(c, slug); });
}

ProfileExtras Organisations::profile_extras(int64_t org_id) {
  return db_.read([&](db::Connection& c) {
    return ProfileExtras{is_claimable(c, org_id), store::gallery_of(c, org_id)};
  });
}

std::optional<std::string> Organisations::renamed(const std::string& old_slug) {
  return db_.read([&](db::Connection& c) { return store::current_slug(c, old_slug); });
}

int64_t Organisations::count_published() {
  return db_.read([](db::Connection& c) { return count_organisations(c, "published"); });
}

AdminOrgPage Organisations::admin_list(const std::string& query, const std::string& status,
                                       int64_t offset, int64_t limit) {
  return db_.read([&](db::Connection& c) {
    AdminOrgPage page;
    const std::string where = R"sql(
       WHERE ($1 = '' OR lower(o.name) LIKE $2 OR lower(o.city) LIKE $2)
         AND ($3 = '' OR o.status = $3))sql";
    std::string like = "%";
    for (char ch : query) {
      if (ch == '%' || ch == '_' || ch == '\\') continue;  // typed wildcards match themselves out
      like += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    }
    like += "%";
    page.total = c.query_int("SELECT COUNT(*) FROM organisations o" + where, {query, like, status});
    std::vector<int64_t> ids;
    for (const auto& r : c.query(R"sql(
        SELECT o.id, o.name, o.slug, o.status, rg.name AS region_name,
               COALESCE(rq.name, '') AS requested_region_name
          FROM organisations o JOIN regions rg ON rg.id = o.region_id
          LEFT JOIN regions rq ON rq.id = o.requested_region_id)sql" +
                                     where + " ORDER BY lower(o.name), o.id LIMIT $4 OFFSET $5",
                                 {query, like, status, limit, offset})) {
      page.rows.push_back({r.int64("id"),
                           r.text("name"),
                           r.text("slug"),
                           r.text("status"),
                           r.text("region_name"),
                           r.text("requested_region_name"),
                           {}});
      ids.push_back(r.int64("id"));
    }
    if (ids.empty()) return page;
    std::map<int64_t, std::vector<std::string>> admins;
    for (const auto& r : c.query("SELECT ur.organisation_id, u.email FROM user_roles ur "
                                 "JOIN users u ON u.id = ur.user_id "
                                 "WHERE ur.role = 'org_admin' AND ur.organisation_id " +
                                     db::in_ints(c, 1) + " ORDER BY u.email",
                                 {db::IntList(ids)}))
      admins[r.int64("organisation_id")].push_back(r.text("email"));
    for (auto& row : page.rows) row.admin_emails = admins[row.id];
    return page;
  });
}

HomeFacts Organisations::home_facts(int newest, int statements, int64_t rotation) {
  return db_.read([&](db::Connection& c) {
    HomeFacts f;
    auto counts = c.query_one(R"sql(
      SELECT COUNT(*) AS n, COUNT(DISTINCT region_id) AS r FROM organisations
       WHERE status = 'published')sql");
    f.organisations = counts->int64("n");
    f.regions = counts->int64("r");
    for (const auto& r : c.query(R"sql(
        SELECT name, slug, city FROM organisations WHERE status = 'published'
         ORDER BY COALESCE(reviewed_at, created_at) DESC, id DESC LIMIT $1)sql",
                                 {newest}))
      f.newest.push_back({r.text("name"), r.text("slug"), r.text("city"), ""});
    int64_t with_why =
        c.query_int("SELECT COUNT(*) FROM organisations WHERE status = 'published' AND why <> ''");
    if (with_why > 0) {
      int64_t start = (rotation * statements) % with_why;
      for (const auto& r : c.query(R"sql(
          SELECT name, slug, city, why FROM organisations
           WHERE status = 'published' AND why <> '' ORDER BY id LIMIT $1 OFFSET $2)sql",
                                   {statements, start}))
        f.statements.push_back({r.text("name"), r.text("slug"), r.text("city"), r.text("why")});
    }
    return f;
  });
}

std::vector<OrgLocation> Organisations::locations(const std::vector<int64_t>& ids) {
  return db_.read([&](db::Connection& c) { return locations_of(c, ids); });
}

FormChoices Organisations::form_choices() {
  return db_.read([](db::Connection& c) { return FormChoices{list_regions(c), load_taxonomy(c)}; });
}

std::optional<model::Region> Organisations::region(const std::string& code) {
  return db_.read([&](db::Connection& c) { return find_region(c, code); });
}

std::optional<int64_t> Organisations::id_of(const std::string& slug) {
  return db_.read([&](db::Connection& c) { return find_organisation_id(c, slug); });
}

std::vector<ManagedOrg> Organisations::of_user(int64_t user_id) {
  return db_.read([&](db::Connection& c) { return organisations_of(c, user_id); });
}

std::optional<ManagedOrg> Organisations::managed(const Actor& a, int64_t org_id) {
  return db_.read([&](db::Connection& c) { return load_managed(c, a, org_id); });
}

int64_t Organisations::apply(int64_t user_id, const model::OrgBasics& b, int64_t region_id,
                             int64_t now, const Composer& to_reviewer, bool submit) {
  return db_.write(kDirectoryWrite, [&](db::Connection& c) {
    int64_t id = create_application(c, user_id, b, region_id, now);
    if (!submit) return id;  // a draft: nobody is told yet
    c.execute("UPDATE organisations SET submitted_at = $2 WHERE id = $1", {id, now});
    record_review(c, id, "submitted", "", user_id, now);
    for (const auto& r : reviewers_of(c, region_id))
      queue_mail(c, to_reviewer(r), now, mail_attempts_);
    return id;
  });
}

std::optional<std::pair<model::OrgBasics, ManagedOrg>> Organisations::basics(const Actor& a,
                                                                             int64_t org_id) {
  return db_.read([&](db::Connection& c) { return load_for_edit(c, a, org_id); });
}

std::optional<model::Organisation> Organisations::preview_base(const Actor& a, int64_t org_id,
                                                               int64_t region_id) {
  return db_.read([&](db::Connection& c) -> std::optional<model::Organisation> {
    if (!load_managed(c, a, org_id)) return std::nullopt;
    auto o = find_organisation(c, org_id);
    if (o && o->region_id != region_id) {
      auto r = c.query_one("SELECT name FROM regions WHERE id = $1", {region_id});
      if (r) o->region_name = r->text("name");
    }
    return o;
  });
}

Result<BasicsSaved> Organisations::save_basics(const Actor& a, int64_t org_id,
                                               int64_t expected_version, const model::OrgBasics& b,
                                               int64_t region_id, int64_t now,
                                               const Composer& to_reviewer,
                                               const Composer& to_mover, bool submit,
                                               const Composer& to_submitted) {
  return db_.write(kDirectoryWrite, [&](db::Connection& c) -> Result<BasicsSaved> {
    auto before = load_managed(c, a, org_id);
    auto moved = update_basics(c, a, org_id, expected_version, b, region_id, now, submit);
    if (!moved) return moved.error();
    if (before && before->draft && submit) {  // the draft goes to the editors now
      for (const auto& r : reviewers_of(c, region_id))
        queue_mail(c, to_submitted(r), now, mail_attempts_);
      return BasicsSaved::saved;
    }
    if (*moved) {
      for (const auto& r : reviewers_of(c, region_id))
        queue_mail(c, to_mover(r), now, mail_attempts_);
      return BasicsSaved::move_requested;
    }
    if (before && before->status == "rejected")
      for (const auto& r : reviewers_of(c, region_id))
        queue_mail(c, to_reviewer(r), now, mail_attempts_);
    return BasicsSaved::saved;
  });
}

std::optional<std::pair<model::OrgDetails, ManagedOrg>> Organisations::details(const Actor& a,
                                                                               int64_t org_id) {
  return db_.read([&](db::Connection& c) { return load_details(c, a, org_id); });
}

Status Organisations::save_details(const Actor& a, int64_t org_id, int64_t expected_version,
                                   const model::OrgDetails& d, int64_t now) {
  return db_.write(kDirectoryWrite, [&](db::Connection& c) {
    return update_details(c, a, org_id, expected_version, d, now);
  });
}

Result<std::string> Organisations::change_image(const Actor& a, int64_t org_id, OrgImage which,
                                                const std::string& key, int64_t now) {
  return db_.write(kDirectoryWrite,
                   [&](db::Connection& c) { return set_image(c, a, org_id, which, key, now); });
}

std::vector<GalleryImage> Organisations::gallery(int64_t org_id) {
  return db_.read([&](db::Connection& c) { return gallery_of(c, org_id); });
}

Result<int64_t> Organisations::add_to_gallery(const Actor& a, int64_t org_id,
                                              const std::string& key, const std::string& alt,
                                              int64_t now) {
  return db_.write(db::Isolation::read_committed, [&](db::Connection& c) {
    return add_gallery_image(c, a, org_id, key, alt, now);
  });
}

Result<std::string> Organisations::remove_from_gallery(const Actor& a, int64_t org_id,
                                                       int64_t image_id) {
  return db_.write([&](db::Connection& c) { return remove_gallery_image(c, a, org_id, image_id); });
}

std::vector<ReviewItem> Organisations::pending_reviews(const Actor& a) {
  return db_.read([&](db::Connection& c) { return review_queue(c, a); });
}

std::optional<ReviewDossier> Organisations::dossier(const Actor& a, int64_t org_id) {
  return db_.read([&](db::Connection& c) -> std::optional<ReviewDossier> {
    auto r = c.query_one(R"sql(
      SELECT (o.status = 'pending' AND o.submitted_at IS NOT NULL) AS awaiting,
             COALESCE((SELECT u.email FROM user_roles ur JOIN users u ON u.id = ur.user_id
                        WHERE ur.organisation_id = o.id AND ur.role = 'org_admin'
                        ORDER BY ur.id LIMIT 1), '') AS applicant_email
        FROM organisations o
       WHERE o.id = $2 AND o.submitted_at IS NOT NULL
         AND ($3 = 1 OR EXISTS (SELECT 1 FROM user_roles ur
                                 WHERE ur.user_id = $1 AND ur.role = 'regional_editor'
                                   AND ur.region_id IN (o.region_id, o.requested_region_id))))sql",
                         {a.user_id, org_id, a.platform_admin ? 1 : 0});
    if (!r) return std::nullopt;
    auto o = find_organisation(c, org_id);
    if (!o) return std::nullopt;
    ReviewDossier d{std::move(*o),
                    gallery_of(c, org_id),
                    {},
                    r->text("applicant_email"),
                    r->boolean("awaiting")};
    for (const auto& e : c.query(R"sql(
        SELECT r.kind, r.note, COALESCE(u.display_name, '') AS actor_name, r.created_at
          FROM organisation_reviews r LEFT JOIN users u ON u.id = r.actor_id
         WHERE r.organisation_id = $1 ORDER BY r.created_at, r.id)sql",
                                 {org_id}))
      d.history.push_back(
          ReviewEvent{e.text("kind"), e.text("note"), e.text("actor_name"), e.int64("created_at")});
    return d;
  });
}

Status Organisations::review(const Actor& a, int64_t org_id, bool approve, const std::string& note,
                             int64_t now, const ReviewComposer& to_admin) {
  return db_.write(kDirectoryWrite, [&](db::Connection& c) -> Status {
    auto s = decide(c, a, org_id, approve, note, now);
    if (!s) return s;
    // The reviewer may not administer it; the mail needs its name and slug all the same.
    auto org = c.query_one(std::string(R"sql(
      SELECT o.id, o.slug, o.name, o.status, o.review_note, o.applicant_reply, o.version,
             o.region_id, o.logo_key, o.cover_key, 0 AS draft
        FROM organisations o WHERE o.id = $1)sql"),
                           {org_id});
    ManagedOrg reviewed = managed_from(*org);
    for (const auto& [email, locale] : admin_contacts(c, org_id))
      queue_mail(c, to_admin(Addressee{email, locale, ""}, reviewed), now, mail_attempts_);
    return s;
  });
}

std::vector<MoveItem> Organisations::pending_moves(const Actor& a) {
  return db_.read([&](db::Connection& c) { return move_queue(c, a); });
}

Status Organisations::decide_move(const Actor& a, int64_t org_id, bool approve, int64_t now,
                                  const ReviewComposer& to_admin) {
  return db_.write(kDirectoryWrite, [&](db::Connection& c) -> Status {
    // Found and decided in one statement: of two editors at once, one decides. The row
    // is locked first, so the regions read for the history are the ones decided on.
    lock_organisation(c, org_id);
    auto asked = c.query_one(
        "SELECT region_id, requested_region_id FROM organisations WHERE id = $1", {org_id});
    auto changed = c.execute(R"sql(
      UPDATE organisations
         SET region_id = CASE WHEN $3 = 1 THEN requested_region_id ELSE region_id END,
             requested_region_id = NULL, version = version + 1, updated_at = $4
       WHERE id = $2 AND status = 'published' AND requested_region_id IS NOT NULL
         AND ($5 = 1 OR requested_region_id IN (SELECT region_id FROM user_roles
                                                 WHERE user_id = $1 AND role = 'regional_editor')))sql",
                             {a.user_id, org_id, approve ? 1 : 0, now, a.platform_admin ? 1 : 0});
    if (changed == 0 || !asked || !asked->opt_int64("requested_region_id"))
      return make_error("not_found", "store: no move asked for in reach");
    record_review(c, org_id, approve ? "move_approved" : "move_declined",
                  move_note(c, asked->int64("region_id"), *asked->opt_int64("requested_region_id")),
                  a.user_id, now);
    if (approve) index_organisation(c, org_id);
    auto org = c.query_one(R"sql(
      SELECT o.id, o.slug, o.name, o.status, o.review_note, o.applicant_reply, o.version,
             o.region_id, o.logo_key, o.cover_key, 0 AS draft
        FROM organisations o WHERE o.id = $1)sql",
                           {org_id});
    ManagedOrg moved = managed_from(*org);
    for (const auto& [email, locale] : admin_contacts(c, org_id))
      queue_mail(c, to_admin(Addressee{email, locale, ""}, moved), now, mail_attempts_);
    return Ok{};
  });
}

}  // namespace verbund::store
