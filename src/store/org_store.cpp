#include "store/org_store.hpp"

#include "search/places.hpp"
#include "store/directory_store.hpp"

namespace verbund::store {

std::vector<model::Region> list_regions(db::Connection& c) {
  std::vector<model::Region> out;
  for (const auto& r : c.query("SELECT id, code, name FROM regions ORDER BY name"))
    out.push_back(model::Region{r.int64("id"), r.text("code"), r.text("name")});
  return out;
}

std::optional<model::Region> find_region(db::Connection& c, const std::string& code) {
  auto r = c.query_one("SELECT id, code, name FROM regions WHERE code = $1", {code});
  if (!r) return std::nullopt;
  return model::Region{r->int64("id"), r->text("code"), r->text("name")};
}

namespace {
int64_t insert_row(db::Connection& c, const model::Organisation& o, const std::string& slug,
                   int64_t now);
}  // namespace

int64_t insert_organisation(db::Connection& c, const model::Organisation& o, int64_t now) {
  // The slug is unique by constraint. The first free name is a good guess; when another
  // writer takes it meanwhile, the insert fails inside a savepoint and the next is tried.
  std::string base = model::slugify(o.name);
  int n = 1;
  std::string slug = base;
  while (c.query_one("SELECT 1 FROM organisations WHERE slug = $1", {slug}) && n < 1000)
    slug = base + "-" + std::to_string(++n);
  std::optional<int64_t> inserted;
  for (int attempt = 0; !inserted; ++attempt) {
    try {
      inserted = db::with_savepoint(c, [&] { return insert_row(c, o, slug, now); });
    } catch (const db::DbError& e) {
      if (e.kind() != db::DbError::Kind::unique || attempt >= 50) throw;
      slug = base + "-" + std::to_string(++n);
    }
  }
  int64_t id = *inserted;
  for (const auto& f : o.fields)
    c.execute("INSERT INTO organisation_fields (organisation_id, field_key) VALUES ($1, $2)",
              {id, f});
  for (const auto& g : o.target_groups)
    c.execute("INSERT INTO organisation_target_groups (organisation_id, group_key) VALUES ($1, $2)",
              {id, g});
  index_organisation(c, id);
  return id;
}

namespace {

int64_t insert_row(db::Connection& c, const model::Organisation& o, const std::string& slug,
                   int64_t now) {
  return c
      .query_one(R"sql(
    INSERT INTO organisations (slug, name, short_name, legal_form, region_id, street, postcode,
                               city, state, short_description, about, why, founded, email,
                               phone, website, languages, accessibility, opening_hours, status,
                               created_at, updated_at, latitude, longitude)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
            $19, $20, $21, $21, $22, $23)
    RETURNING id)sql",
                 {slug,      o.name,      o.short_name,    o.legal_form,    o.region_id,
                  o.street,  o.postcode,  o.city,          o.state,         o.short_description,
                  o.about,   o.why,       o.founded,       o.email,         o.phone,
                  o.website, o.languages, o.accessibility, o.opening_hours, o.status,
                  now,       o.latitude,  o.longitude})
      ->int64("id");
}

// One organisation with its taxonomies, chosen by `where` (with $1).
std::optional<model::Organisation> load_organisation(db::Connection& c, const std::string& where,
                                                     const db::Param& key) {
  auto r = c.query_one(std::string(R"sql(
    SELECT o.id, o.slug, o.name, o.short_name, o.legal_form, o.region_id, r.name AS region_name,
           o.street,
           o.postcode, o.city, o.state, o.short_description, o.about, o.why, o.founded, o.email,
           o.phone, o.website, o.languages, o.accessibility, o.opening_hours, o.status,
           o.logo_key, o.cover_key, o.updated_at, o.latitude, o.longitude, o.social_mastodon,
           o.social_instagram, o.social_facebook, o.social_linkedin, o.social_youtube,
           o.feed_url, o.donation_url, o.legal_representative, o.register_entry,
           o.content_responsible
      FROM organisations o JOIN regions r ON r.id = o.region_id
     WHERE )sql") + where,
                       {key});
  if (!r) return std::nullopt;
  model::Organisation o;
  o.id = r->int64("id");
  o.slug = r->text("slug");
  o.name = r->text("name");
  o.short_name = r->text("short_name");
  o.legal_form = r->text("legal_form");
  o.region_id = r->int64("region_id");
  o.region_name = r->text("region_name");
  o.street = r->text("street");
  o.postcode = r->text("postcode");
  o.city = r->text("city");
  o.state = r->text("state");
  o.short_description = r->text("short_description");
  o.about = r->text("about");
  o.why = r->text("why");
  o.founded = r->opt_int64("founded");
  o.email = r->text("email");
  o.phone = r->text("phone");
  o.website = r->text("website");
  o.languages = r->text("languages");
  o.accessibility = r->text("accessibility");
  o.opening_hours = r->text("opening_hours");
  o.logo_key = r->text("logo_key");
  o.cover_key = r->text("cover_key");
  o.updated_at = r->int64("updated_at");
  o.latitude = r->opt_double("latitude");
  o.longitude = r->opt_double("longitude");
  o.social_mastodon = r->text("social_mastodon");
  o.social_instagram = r->text("social_instagram");
  o.social_facebook = r->text("social_facebook");
  o.social_linkedin = r->text("social_linkedin");
  o.social_youtube = r->text("social_youtube");
  o.feed_url = r->text("feed_url");
  o.donation_url = r->text("donation_url");
  o.legal_representative = r->text("legal_representative");
  o.register_entry = r->text("register_entry");
  o.content_responsible = r->text("content_responsible");
  o.status = r->text("status");
  for (const auto& f : c.query(R"sql(
      SELECT f.field_key FROM organisation_fields f JOIN fields_of_work w ON w.key = f.field_key
       WHERE f.organisation_id = $1 ORDER BY w.position)sql",
                               {o.id}))
    o.fields.push_back(f.text("field_key"));
  for (const auto& g : c.query(R"sql(
      SELECT g.group_key FROM organisation_target_groups g
        JOIN target_groups t ON t.key = g.group_key
       WHERE g.organisation_id = $1 ORDER BY t.position)sql",
                               {o.id}))
    o.target_groups.push_back(g.text("group_key"));
  return o;
}

}  // namespace

std::optional<model::Organisation> find_published(db::Connection& c, const std::string& slug) {
  return load_organisation(c, "o.slug = $1 AND o.status = 'published'", slug);
}

std::optional<model::Organisation> find_organisation(db::Connection& c, int64_t id) {
  return load_organisation(c, "o.id = $1", id);
}

std::optional<int64_t> find_organisation_id(db::Connection& c, const std::string& slug) {
  auto row = c.query_one("SELECT id FROM organisations WHERE slug = $1", {slug});
  if (!row) return std::nullopt;
  return row->int64("id");
}

int64_t count_organisations(db::Connection& c, const std::string& status) {
  return c.query_int("SELECT count(*) FROM organisations WHERE status = $1", {status});
}

std::vector<OrgLocation> locations_of(db::Connection& c, const std::vector<int64_t>& ids) {
  std::vector<OrgLocation> out;
  for (const auto& r : c.query("SELECT id, latitude, longitude, postcode FROM organisations "
                               "WHERE id " +
                                   db::in_ints(c, 1) + " AND status = 'published'",
                               {db::IntList(ids)})) {
    // Its own pin, else the place of its postcode.
    auto lat = r.opt_double("latitude"), lon = r.opt_double("longitude");
    if (lat && lon) {
      out.push_back(OrgLocation{r.int64("id"), *lat, *lon});
    } else if (auto p = search::postcode_point(r.text("postcode"))) {
      out.push_back(OrgLocation{r.int64("id"), p->lat, p->lon});
    }
  }
  return out;
}

}  // namespace verbund::store
