// The GP2GP reader: a UK GP2GP HL7v3 EHR Extract (RCMR_IN030000UK06, or a bare EhrExtract)
// into one runtime Record, with the same result type as the FHIR readers.
#pragma once

#include <filesystem>
#include <string_view>

#include "concord/fhir/read.hpp"

namespace concord::gp2gp {

using fhir::ReadIssue;
using fhir::ReadResult;

// Reads one EHR Extract. The Record's id is the NHS number (recordTarget/patient/id with
// root 2.16.840.1.113883.2.1.4.1); birth date and sex only when the extract carries a
// patientPerson (GP2GP extracts usually do not). Problems (LinkSet) become Diagnoses, with the
// named statement's codes; ObservationStatements, and CompoundStatement batteries and
// clusters with a code of their own, become observation Events; MedicationStatements become
// Medications, one per authorisation (ehrSupplyAuthorise) and one per issue
// (ehrSupplyPrescribe). Allergies, plans, requests and narrative are counted in one warning.
// Issue locations are line:col. Never throws on bad input.
ReadResult read_xml(std::string_view text, std::string_view source_name);

// Reads a file (at most fhir::max_file_bytes); the Record's source is the file name only.
ReadResult read_file(const std::filesystem::path& path);

// Maps an HL7v3 code system OID to the runtime's token: SNOMED CT, Read v2, CTV3. Any other
// OID becomes "urn:oid:<oid>".
std::string system_token(std::string_view oid);

}  // namespace concord::gp2gp
