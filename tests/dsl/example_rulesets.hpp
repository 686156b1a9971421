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

// Units, conversions, targets, person-centred modifiers, suppressions and a prompt with a
// condition: every construct of the language beyond the basics, in one file.
inline const std::string person_centred = R"concord(ruleset person version "1.0.0"

codes diabetes_dx = snomed [38341003]
codes depression_dx = snomed [59621000]
codes hba1c_tests = snomed [1201005], loinc ["4548-4"] measured in mmol/mol
  converting % by (value - 2.15) * 10.929
codes systolic_bp = loinc ["8480-6"] measured in mm[Hg]
codes diastolic_bp = loinc ["8462-4"] measured in mm[Hg]
codes phq9 = loinc ["44261-6"] measured in {score}
codes flu_given = loinc ["FLU"]
codes frailty_mild_codes = loinc ["M"]
codes frailty_moderate_codes = loinc ["MO"]
codes frailty_severe_codes = loinc ["S"]
codes palliative_codes = loinc ["P"]
codes pam_codes = loinc ["PAM"]
codes dm_dissent = loinc ["DD"]
codes bp_declined = loinc ["BD"]
codes flu_declined = loinc ["FD"]

condition diabetes "Diabetes" present when diagnosis in diabetes_dx
condition depression "Depression" present when diagnosis in depression_dx

check hba1c "HbA1c" for diabetes stage tests every 12 months
  done by record in hba1c_tests
  target latest hba1c_tests <= 58 mmol/mol
  target latest hba1c_tests <= 75 mmol/mol when frailty >= moderate
check bp "Blood pressure" for diabetes stage tests every 12 months
  done by record in systolic_bp or record in diastolic_bp
  target latest systolic_bp <= 140 mm[Hg] and latest diastolic_bp <= 90 mm[Hg]
  target latest systolic_bp <= 150 mm[Hg] and latest diastolic_bp <= 90 mm[Hg] when age >= 80
  source "NICE NG136"
check flu_vaccine "Flu vaccine" for diabetes stage tests every 12 months
  done by immunization in flu_given
check phq "PHQ-9" for depression stage tests every 12 months
  done by observation in phq9
  target latest phq9 < 10 {score}

frailty mild when record in frailty_mild_codes
frailty moderate when record in frailty_moderate_codes
frailty severe when record in frailty_severe_codes
end of life when record in palliative_codes suppresses hba1c, bp
activation from observation in pam_codes

suppress diabetes when record in dm_dissent as informed_dissent for 12 months
suppress bp when record in bp_declined as declined for 1 year
suppress flu_vaccine when record in flu_declined as declined until season end

review ltc "Long-term conditions review"
  merge when conditions >= 2 or (conditions >= 1 and not end_of_life)
  gather due within 3 months
  stage tests tests "Tests" 3 weeks before
  stage talk conversation "Care and support planning"
  ask mood "Over the last two weeks, how have you been feeling in yourself?" when depression or frailty >= mild
  ask what_matters "What matters most to you?"
)concord";

// The constructs added to the language after its first version, in canonical layout (so
// `concord fmt` leaves it as it is). The codes are test tokens, not clinical codes.
inline const std::string extensions = R"concord(ruleset extensions version "1.0.0"

codes asthma_dx = loinc ["AST"]

codes asthma_drugs = dmd ["ICS"]

codes asthma_reviewed = loinc ["REV"]

codes hypo = loinc ["HYPO"]

codes hba1c = loinc ["4548-4"]
  measured in mmol/mol

condition asthma "Asthma"
  present when diagnosis in asthma_dx and medication in asthma_drugs within 12 months
  source "QOF AST register: a diagnosis and an asthma-related drug in the last 12 months"

check asthma_control "Asthma control" for asthma stage tests every 12 months
  done by record in asthma_reviewed
  target latest hba1c <= 64 mmol/mol when record in hypo within 6 months

codes depression_dx = loinc ["DEP"]

codes depression_reviewed = loinc ["DEPREV"]

condition depression "Depression"
  present when diagnosis in depression_dx and record in depression_dx after 2006-04-01

check depression_review "Depression review" for depression stage tests due 10 to 56 days after onset
  done by record in depression_reviewed
  target latest hba1c <= 70 mmol/mol when medication in asthma_drugs before onset
  source "QOF DEP003"
)concord";

}  // namespace concord::dsl::test
