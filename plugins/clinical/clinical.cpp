// The clinical functions plugin: CHA2DS2-VASc and the electronic frailty index, computed from
// the coded facts of a record (concord_record_view). Each component names its source and the
// code set it counts; components with no confirmed code are left out (see README.md).
#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "plugin_support.hpp"

namespace {

using namespace concord::plugin_support;
#include "codes.inc"

using CodeSet = std::unordered_set<std::string_view>;

template <std::size_t N>
CodeSet set_of(const std::string_view (&codes)[N]) {
  return CodeSet(std::begin(codes), std::end(codes));
}

// Myocardial infarction codes confirmed in the clinical specification (CLINICAL.md 2.1, all in
// CHD_COD): myocardial infarction, history of MI, STEMI, NSTEMI, acute MI.
constexpr std::string_view k_myocardial_infarction[] = {"22298006", "399211009", "401303003",
                                                        "401314000", "57054005"};
// Resolution codes (CLINICAL.md 2.1): diabetes resolved (DMRES_COD), hypertension resolved
// (HYPRES_COD).
constexpr std::string_view k_diabetes_resolved[] = {"315051004"};
constexpr std::string_view k_hypertension_resolved[] = {"162659009"};

struct Sets {
  CodeSet af = set_of(k_af), chd = set_of(k_chd), ckd = set_of(k_ckd),
          care_home = set_of(k_care_home), dementia = set_of(k_dementia),
          diabetes = set_of(k_diabetes), fragility_fracture = set_of(k_fragility_fracture),
          heart_failure = set_of(k_heart_failure), hypertension = set_of(k_hypertension),
          osteoporosis = set_of(k_osteoporosis), pad = set_of(k_pad),
          respiratory = set_of(k_respiratory),
          rheumatoid_arthritis = set_of(k_rheumatoid_arthritis), stroke_tia = set_of(k_stroke_tia),
          myocardial_infarction = set_of(k_myocardial_infarction),
          diabetes_resolved = set_of(k_diabetes_resolved),
          hypertension_resolved = set_of(k_hypertension_resolved);
};

const Sets& sets() {
  static const Sets s;
  return s;
}

bool has_code(const concord_fact_view& f, const CodeSet& set) {
  for (std::size_t i = 0; i < f.code_count; ++i) {
    if (view(f.codes[i].system) == "snomed" && set.count(view(f.codes[i].code))) return true;
  }
  return false;
}

bool dated_by(const concord_fact_view& f, concord_days date) {
  return !(f.flags & CONCORD_FACT_HAS_DATE) || f.date <= date;
}

// Ever recorded by `date`: a diagnosis that was not refuted, or any dated entry.
bool ever(const concord_record_view& r, const CodeSet& set, concord_days date) {
  for (std::size_t i = 0; i < r.fact_count; ++i) {
    const auto& f = r.facts[i];
    if (f.kind == CONCORD_FACT_MEDICATION || (f.flags & CONCORD_FACT_REFUTED)) continue;
    if (f.kind != CONCORD_FACT_DIAGNOSIS && !(f.flags & CONCORD_FACT_HAS_DATE)) continue;
    if (dated_by(f, date) && has_code(f, set)) return true;
  }
  return false;
}

// A current diagnosis on `date`: recorded, not refuted, not ended or marked resolved, and with
// no resolution code dated after its latest onset.
bool current(const concord_record_view& r, const CodeSet& set, const CodeSet& resolved,
             concord_days date) {
  bool present = false;
  concord_days latest_onset = INT32_MIN, latest_resolution = INT32_MIN;
  for (std::size_t i = 0; i < r.fact_count; ++i) {
    const auto& f = r.facts[i];
    if (f.kind == CONCORD_FACT_MEDICATION || !dated_by(f, date)) continue;
    const concord_days when = (f.flags & CONCORD_FACT_HAS_DATE) ? f.date : INT32_MIN;
    if (has_code(f, resolved) && !(f.flags & CONCORD_FACT_REFUTED)) {
      latest_resolution = std::max(latest_resolution, when);
    }
    if (f.kind != CONCORD_FACT_DIAGNOSIS || !has_code(f, set)) continue;
    if (f.flags & (CONCORD_FACT_REFUTED | CONCORD_FACT_RESOLVED)) continue;
    if ((f.flags & CONCORD_FACT_HAS_END) && f.end <= date) continue;
    present = true;
    latest_onset = std::max(latest_onset, when);
  }
  return present && !(latest_resolution != INT32_MIN && latest_resolution >= latest_onset);
}

// Days since 1970-01-01 to a civil date (H. Hinnant's algorithm).
struct Ymd {
  int y;
  unsigned m, d;
};
Ymd civil(concord_days days) {
  const std::int64_t z = static_cast<std::int64_t>(days) + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int>(yoe + era * 400 + (m <= 2)), m, d};
}

int age_on(concord_days birth, concord_days date) {
  const Ymd b = civil(birth), d = civil(date);
  return d.y - b.y - ((d.m < b.m || (d.m == b.m && d.d < b.d)) ? 1 : 0);
}

// CHA2DS2-VASc (Lip GYH et al., Chest 2010;137:263-272; recommended by NICE NG196 for atrial
// fibrillation): congestive heart failure 1 (HF_COD), hypertension 1 (HYP_COD, unless resolved),
// age >= 75 2, diabetes 1 (DM_COD, unless resolved), stroke/TIA 2 (STRK_COD, TIA_COD; history
// counts), vascular disease 1 (myocardial infarction codes above, PAD_COD), age 65-74 1,
// female sex 1. Thromboembolism and aortic plaque have no confirmed code and are not counted.
int cha2ds2_vasc(const concord_record_view& r, concord_days date, double& value,
                 concord_plugin_error* error) {
  if (!r.has_birth_date) {
    return fail(error, CONCORD_PLUGIN_NO_VALUE,
                "CHA2DS2-VASc needs the birth date, which the "
                "record does not give");
  }
  const std::string_view sex = view(r.sex);
  if (sex != "female" && sex != "male") {
    return fail(error, CONCORD_PLUGIN_NO_VALUE,
                "CHA2DS2-VASc needs the sex recorded as female or male");
  }
  const Sets& s = sets();
  static const CodeSet none;
  const int age = age_on(r.birth_date, date);
  int score = 0;
  score += current(r, s.heart_failure, none, date) ? 1 : 0;
  score += current(r, s.hypertension, s.hypertension_resolved, date) ? 1 : 0;
  score += age >= 75 ? 2 : age >= 65 ? 1 : 0;
  score += current(r, s.diabetes, s.diabetes_resolved, date) ? 1 : 0;
  score += ever(r, s.stroke_tia, date) ? 2 : 0;
  score += (ever(r, s.myocardial_infarction, date) || ever(r, s.pad, date)) ? 1 : 0;
  score += sex == "female" ? 1 : 0;
  value = score;
  return CONCORD_PLUGIN_OK;
}

// The electronic frailty index (Clegg A et al., Age Ageing 2016;45:353-360): the number of the
// 36 deficits present divided by 36. Only deficits with confirmed code sets are counted (the
// others are listed in README.md), so the index can only under-count.
constexpr double kEfiDeficits = 36;

// Each deficit's code set, one bit per deficit, in one map so that a record is read in one pass
// with one hash look-up per code.
const std::unordered_map<std::string_view, std::uint32_t>& deficit_bits() {
  static const auto bits = [] {
    const Sets& s = sets();
    const CodeSet* deficits[] = {
        &s.rheumatoid_arthritis,  // arthritis (rheumatoid arthritis only)
        &s.af,                    // atrial fibrillation
        &s.stroke_tia,            // cerebrovascular disease
        &s.ckd,                   // chronic kidney disease
        &s.diabetes,              // diabetes
        &s.fragility_fracture,    // fragility fracture
        &s.heart_failure,         // heart failure
        &s.hypertension,          // hypertension
        &s.chd,                   // ischaemic heart disease
        &s.dementia,              // memory and cognitive problems (dementia only)
        &s.osteoporosis,          // osteoporosis
        &s.pad,                   // peripheral vascular disease
        &s.care_home,             // requirement for care (living in a care home only)
        &s.respiratory,           // respiratory disease (COPD, asthma)
    };
    std::unordered_map<std::string_view, std::uint32_t> map;
    for (std::size_t i = 0; i < std::size(deficits); ++i) {
      for (const auto code : *deficits[i])
        map[code] |= 1u << i;
    }
    return map;
  }();
  return bits;
}

int efi(const concord_record_view& r, concord_days date, double& value, concord_plugin_error*) {
  const auto& bits = deficit_bits();
  std::uint32_t present = 0;
  // Polypharmacy: five or more distinct current medicines (by their first code).
  constexpr std::size_t kPolypharmacy = 5;
  const concord_code_view* medicines[kPolypharmacy];
  std::size_t distinct = 0;
  for (std::size_t i = 0; i < r.fact_count; ++i) {
    const auto& f = r.facts[i];
    if (!dated_by(f, date)) continue;
    if (f.kind == CONCORD_FACT_MEDICATION) {
      if (!(f.flags & CONCORD_FACT_ACTIVE) || f.code_count == 0 || distinct == kPolypharmacy) {
        continue;
      }
      const concord_code_view& c = f.codes[0];
      bool seen = false;
      for (std::size_t m = 0; m < distinct && !seen; ++m) {
        seen = view(medicines[m]->system) == view(c.system) &&
               view(medicines[m]->code) == view(c.code);
      }
      if (!seen) medicines[distinct++] = &c;
      continue;
    }
    if (f.flags & CONCORD_FACT_REFUTED) continue;
    if (f.kind != CONCORD_FACT_DIAGNOSIS && !(f.flags & CONCORD_FACT_HAS_DATE)) continue;
    for (std::size_t c = 0; c < f.code_count; ++c) {
      if (view(f.codes[c].system) != "snomed") continue;
      if (const auto it = bits.find(view(f.codes[c].code)); it != bits.end()) present |= it->second;
    }
  }
  const int count = std::popcount(present) + (distinct == kPolypharmacy ? 1 : 0);
  value = count / kEfiDeficits;
  return CONCORD_PLUGIN_OK;
}

using Function = int (*)(const concord_record_view&, concord_days, double&, concord_plugin_error*);
struct Entry {
  const char* name;
  Function function;
};
constexpr Entry kFunctions[] = {{"cha2ds2_vasc", &cha2ds2_vasc}, {"efi", &efi}};

int create(const concord_plugin_settings* settings, void** instance, concord_plugin_error* error) {
  return guard(error, [&] {
    if (auto key = unknown_setting(settings, {}); !key.empty()) {
      return fail(error, CONCORD_PLUGIN_BAD_ARGUMENT,
                  "unknown setting '" + key + "': this plugin takes no settings");
    }
    deficit_bits();  // build the code sets once, before any thread calls in
    *instance = nullptr;
    return static_cast<int>(CONCORD_PLUGIN_OK);
  });
}

void destroy(void*) {}

std::size_t count(void*) {
  return std::size(kFunctions);
}

const char* name(void*, std::size_t index) {
  return index < std::size(kFunctions) ? kFunctions[index].name : nullptr;
}

int call(void*, std::size_t index, const concord_record_view* record, concord_days date,
         double* value, concord_plugin_error* error) {
  return guard(error, [&] {
    if (index >= std::size(kFunctions) || !record || !value) {
      return fail(error, CONCORD_PLUGIN_BAD_ARGUMENT, "no such function, or no record");
    }
    return kFunctions[index].function(*record, date, *value, error);
  });
}

const concord_functions_api kApi = {&count, &name, &call};

const concord_plugin kPlugin = {
    CONCORD_PLUGIN_ABI_VERSION,
    CONCORD_PLUGIN_FUNCTIONS,
    "clinical",
    "1.0.0",
    "CHA2DS2-VASc (Lip et al. 2010) and the electronic frailty index (Clegg et al. 2016)",
    &create,
    &destroy,
    nullptr,
    &kApi,
    nullptr,
};

}  // namespace

extern "C" CONCORD_PLUGIN_EXPORT const concord_plugin* concord_plugin_entry(void) {
  return &kPlugin;
}
