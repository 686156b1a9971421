// Ruleset texts shared by the dsl tests: the hypertension example from the language brief and
// a review, as real content will look.
#pragma once

#include <string>

namespace concord::dsl::test {

inline const std::string hypertension = R"concord(ruleset hypertension version "1.0.0"
  title "Hypertension"
  source "NICE NG136; QOF HYP indicators (business rules v46)"

codes hyp_dx = snomed [38341003, 59621000, 1201005]
codes hyp_resolved = snomed [162659009]
codes bp_codes = snomed [271649006, 271650006], loinc ["8480-6", "8462-4", "85354-9"]

condition hypertension "Hypertension"
  present when diagnosis in hyp_dx
  resolved by hyp_resolved
  source "QOF HYP001"

check bp "Blood pressure" for hypertension stage tests every 12 months
  done by observation in bp_codes or procedure in bp_codes
  source "QOF HYP003 (v46)"
)concord";

inline const std::string review = R"concord(ruleset ltc_review version "1.0.0"
  title "Long-term conditions review"

review ltc "Long-term conditions review"
  source "NICE NG56"
  merge when conditions >= 2 or (conditions >= 1 and medicines >= 10)
  gather due within 3 months
  stage tests tests "Blood, urine and health checks" 3 weeks before
  stage letter letter "Your results and questions" 2 weeks before
  stage talk conversation "Care and support planning" minutes 20 plus 10 per extra condition up to 40
  ask what_matters "What matters most to you about your health at the moment?"
)concord";

}  // namespace concord::dsl::test
