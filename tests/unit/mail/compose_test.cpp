#include "mail/mail.hpp"

#include <gtest/gtest.h>

namespace verbund::mail {
namespace {

store::OutgoingMail plain() {
  store::OutgoingMail m;
  m.message_id = "<a@b.example>";
  m.recipient = "leitung@familienzentrum.example";
  m.subject = "Änderung: Digi-Dienstag";
  m.body = "Hallo,\nder Termin ist verschoben.\n";
  return m;
}

TEST(MailCompose, PlainTextHasOneTextPart) {
  std::string out = compose(plain(), "Verbund <noreply@verbund.example>", 0);
  EXPECT_NE(out.find("Content-Type: text/plain; charset=utf-8\r\n"), std::string::npos);
  EXPECT_EQ(out.find("multipart"), std::string::npos);
  EXPECT_NE(out.find("\r\n\r\nHallo,\r\nder Termin"), std::string::npos);
}

TEST(MailCompose, CalendarGoesAlongAsBase64PartWithItsMethod) {
  auto m = plain();
  m.calendar = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:CANCEL\r\nEND:VCALENDAR\r\n";
  std::string out = compose(m, "Verbund <noreply@verbund.example>", 0);
  auto b = out.find("boundary=\"");
  ASSERT_NE(b, std::string::npos);
  std::string boundary = out.substr(b + 10, out.find('"', b + 10) - b - 10);
  EXPECT_NE(out.find("--" + boundary + "\r\nContent-Type: text/plain"), std::string::npos);
  EXPECT_NE(out.find("Content-Type: text/calendar; charset=utf-8; method=CANCEL\r\n"),
            std::string::npos);
  EXPECT_NE(out.find("Content-Transfer-Encoding: base64"), std::string::npos);
  // "BEGIN:VCALENDAR\r\n" in base64
  EXPECT_NE(out.find("QkVHSU46VkNBTEVOREFSDQp"), std::string::npos);
  EXPECT_TRUE(out.ends_with("--" + boundary + "--\r\n"));
  // The header block ends before the first part.
  EXPECT_LT(out.find("\r\n\r\n"), out.find("--" + boundary + "\r\n"));
}

}  // namespace
}  // namespace verbund::mail
