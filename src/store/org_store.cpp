#include "store/org_store.hpp"

#include "store/directory_store.hpp"

namespace verbund::store {

std::vector<model::Region> list_regions(db::Connection& c) {
  std::vector<model::Region> out;
  for (const auto& r : c.query("SELECT id, code, name FROM regions ORDER BY name"))
    out.push_back(model::Region{r.int64(0), r.text(1), r.text(2)});
  return out;
}

std::optional<model::Region> find_region(db::Connection& c, const std::string& code) {
  auto r = c.query_one("SELECT id, code, name FROM regions WHERE code = $1", {code});
  if (!r) return std::nullopt;
  return model::Region{r->int64(0), r->text(1), r->text(2)};
}

int64_t insert_organisation(db::Connection& c, const model::Organisation& o, int64_t now) {
  std::string base = model::slugify(o.name);
  std::string slug = base;
  for (int n = 2; c.query_int("SELECT count(*) FROM organisations WHERE slug = $1", {slug}) > 0;
       ++n)
    slug = base + "-" + std::to_string(n);
  auto id =
      c.query_one(R"sql(
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
          ->int64(0);
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

// One organisation with its taxonomies, chosen by `where` (with $1).
std::optional<model::Organisation> load_organisation(db::Connection& c, const std::string& where,
                                                     const db::Param& key) {
  auto r = c.query_one(std::string(R"sql(
    SELECT o.id, o.slug, o.name, o.short_name, o.legal_form, o.region_id, r.name, o.street,
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
  o.id = r->int64(0);
  o.slug = r->text(1);
  o.name = r->text(2);
  o.short_name = r->text(3);
  o.legal_form = r->text(4);
  o.region_id = r->int64(5);
  o.region_name = r->text(6);
  o.street = r->text(7);
  o.postcode = r->text(8);
  o.city = r->text(9);
  o.state = r->text(10);
  o.short_description = r->text(11);
  o.about = r->text(12);
  o.why = r->text(13);
  o.founded = r->opt_int64(14);
  o.email = r->text(15);
  o.phone = r->text(16);
  o.website = r->text(17);
  o.languages = r->text(18);
  o.accessibility = r->text(19);
  o.opening_hours = r->text(20);
  o.logo_key = r->text(22);
  o.cover_key = r->text(23);
  o.updated_at = r->int64(24);
  o.latitude = r->opt_double(25);
  o.longitude = r->opt_double(26);
  o.social_mastodon = r->text(27);
  o.social_instagram = r->text(28);
  o.social_facebook = r->text(29);
  o.social_linkedin = r->text(30);
  o.social_youtube = r->text(31);
  o.feed_url = r->text(32);
  o.donation_url = r->text(33);
  o.legal_representative = r->text(34);
  o.register_entry = r->text(35);
  o.content_responsible = r->text(36);
  o.status = r->text(21);
  for (const auto& f : c.query(R"sql(
      SELECT f.field_key FROM organisation_fields f JOIN fields_of_work w ON w.key = f.field_key
       WHERE f.organisation_id = $1 ORDER BY w.position)sql",
                               {o.id}))
    o.fields.push_back(f.text(0));
  for (const auto& g : c.query(R"sql(
      SELECT g.group_key FROM organisation_target_groups g
        JOIN target_groups t ON t.key = g.group_key
       WHERE g.organisation_id = $1 ORDER BY t.position)sql",
                               {o.id}))
    o.target_groups.push_back(g.text(0));
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
  return row->int64(0);
}

int64_t count_organisations(db::Connection& c, const std::string& status) {
  return c.query_int("SELECT count(*) FROM organisations WHERE status = $1", {status});
}

std::vector<OrgLocation> locations_of(db::Connection& c, const std::vector<int64_t>& ids) {
  std::string list = "[";
  for (std::size_t i = 0; i < ids.size(); ++i) list += (i ? "," : "") + std::to_string(ids[i]);
  list += "]";
  std::vector<OrgLocation> out;
  for (const auto& r : c.query(R"sql(
      SELECT id, latitude, longitude FROM organisations
       WHERE id IN (SELECT value FROM json_each($1)) AND status = 'published'
         AND latitude IS NOT NULL AND longitude IS NOT NULL)sql",
                               {list}))
    out.push_back(OrgLocation{r.int64(0), r.real(1), r.real(2)});
  return out;
}

}  // namespace verbund::store
