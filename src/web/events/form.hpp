// The organisers' event form: what it sends, checked field by field, and filled back
// into templates/events/edit.html with the person's input and the messages at the
// fields. Times are entered in German time and stored in UTC (timefmt::berlin_to_utc):
// a time that does not exist (the hour skipped in March) gets a message that says so.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/user.hpp"
#include "store/event_changes.hpp"
#include "web/app.hpp"

namespace verbund::web::events {

// The topics an event can have (keys; labels events.topic.KEY).
extern const std::vector<std::string> kTopics;

// Who may organise for whom: "verband", "region:ID", "org:ID", with their names.
struct OrganiserChoice {
  std::string value, label;
};
std::vector<OrganiserChoice> organiser_choices(const Context& ctx);

// The form as sent (the values as typed, to show again).
struct EventInput {
  std::map<std::string, std::string> text;  // by field name
  std::vector<std::string> topics, accessibility;
};
EventInput read_event_input(const Context& ctx);
EventInput input_of(const store::Event& e);

// Checks the event's own fields into `out`. `had_code`: the event has an access code
// already (an empty code field keeps it).
std::vector<model::FieldError> check_event(const Context& ctx, const EventInput& in, bool had_code,
                                           store::EventFields& out);

// A session's fields as sent: datum, von, bis, bis_datum, sitzung_titel, plaetze.
std::map<std::string, std::string> read_session_input(const Context& ctx);
std::map<std::string, std::string> session_input_of(const store::EventSession& s);
// Checks a session (in German time) into `out`. `earliest`: no start before it (now
// for new times; an unchanged start is allowed to be past).
std::vector<model::FieldError> check_session(const Context& ctx,
                                             const std::map<std::string, std::string>& in,
                                             std::optional<int64_t> unchanged_start,
                                             store::NewEventSession& out);

// A date and a time of day in German time, or the field error that says why not (no
// such day, the hour skipped in March) at `date_field` or `time_field`.
std::optional<int64_t> read_moment(const std::string& date_field, const std::string& date,
                                   const std::string& time_field, const std::string& time,
                                   const std::string& locale,
                                   std::vector<model::FieldError>& errors);

// Fills the event fields (V_name, options, checked boxes) into `d`.
void fill_event_form(Context& ctx, ctemplate::TemplateDictionary& d, const EventInput& in);
// Fills a session's fields into `d` (V_datum, …).
void fill_session_form(ctemplate::TemplateDictionary& d,
                       const std::map<std::string, std::string>& in);

}  // namespace verbund::web::events
