// The Record: one person's facts, in the runtime's own model. Host shims build it from
// FHIR, GP2GP and the like; rulesets never see those formats, only this.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "concord/runtime/date.hpp"

namespace concord::runtime {

// A coded concept as recorded: a code system token and the code. Known systems use short
// tokens ("snomed", "loinc", "read2", "ctv3", "dmd", "icd10", "cvx"); any other system keeps
// its URI. The key "system|code" is built once, when the fact is read, so that evaluation
// looks codes up without building strings.
class Code {
 public:
  Code() = default;
  Code(std::string_view system, std::string_view code);

  std::string_view system() const { return std::string_view(key_).substr(0, split_); }
  std::string_view value() const { return std::string_view(key_).substr(split_ + 1); }
  const std::string& key() const { return key_; }
  std::string display;  // the source's human-readable term, if any (for explanations)

  friend bool operator==(const Code& a, const Code& b) { return a.key_ == b.key_; }

 private:
  std::string key_;
  std::size_t split_ = 0;
};

// Builds the lookup key for a (system, code) pair; the same function the compiler uses.
std::string code_key(std::string_view system, std::string_view code);

// Known code-system tokens, for readers that map URIs and for the language's system names.
namespace code_system {
inline constexpr std::string_view snomed = "snomed";
inline constexpr std::string_view loinc = "loinc";
inline constexpr std::string_view read2 = "read2";
inline constexpr std::string_view ctv3 = "ctv3";
inline constexpr std::string_view dmd = "dmd";
inline constexpr std::string_view icd10 = "icd10";
inline constexpr std::string_view cvx = "cvx";
}  // namespace code_system

struct Quantity {
  double value = 0;
  std::string unit;  // as recorded (UCUM where the source gives it)
};

// A diagnosis on the problem list. Resolution can come from the source's abatement or from
// a later resolution code (a separate coded entry, matched by the ruleset).
struct Diagnosis {
  std::string id;  // the source's resource id, for explanations
  std::vector<Code> codes;
  std::optional<RecordedDate> onset;
  std::optional<RecordedDate> abatement;
  bool refuted = false;   // verification status refuted / entered-in-error: never counts
  bool resolved = false;  // clinical status says resolved/inactive/remission but gives no date
};

// The kind of coded entry an event came from: rulesets may ask for a specific kind.
enum class EventKind : std::uint8_t { observation, procedure, immunization, flag, encounter };

struct Component {
  std::vector<Code> codes;
  std::optional<Quantity> quantity;
};

// Any dated coded entry: a measurement, a procedure, a vaccination, a recorded exception
// ("BP procedure refused"), a frailty grade. Whether it does a check or suppresses one is
// decided by the ruleset's value sets, not here.
struct Event {
  std::string id;
  EventKind kind = EventKind::observation;
  std::vector<Code> codes;
  std::optional<RecordedDate> date;
  std::optional<Quantity> quantity;
  std::vector<Code> value_codes;  // a coded value (valueCodeableConcept)
  std::vector<Component> components;
};

struct Medication {
  std::string id;
  std::vector<Code> codes;
  std::optional<RecordedDate> start;
  bool active = true;  // an active, current entry (status active / intended)
};

struct Goal {
  std::string text;
  std::optional<RecordedDate> recorded;
};

struct Record {
  std::string id;      // the person's id in the source
  std::string source;  // where it was read from (a file name), never patient data
  std::optional<RecordedDate> birth_date;
  std::string sex;  // administrative gender as recorded ("female", "male", ...)
  // The record says the person has died (FHIR deceased[x], a GP2GP death entry). The date is
  // kept when it is recorded; a death without a date counts from any evaluation date.
  bool deceased = false;
  std::optional<RecordedDate> death_date;
  std::vector<Diagnosis> diagnoses;
  std::vector<Event> events;
  std::vector<Medication> medications;
  std::vector<Goal> goals;
};

}  // namespace concord::runtime
