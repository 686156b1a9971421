/* Concord's plugin ABI: what a plugin shared library exports so that the runtime can load it.
 *
 * A plugin exports ONE symbol, `concord_plugin_entry` (CONCORD_PLUGIN_ENTRY_SYMBOL), a function
 * with C linkage that returns a pointer to a static `concord_plugin` descriptor. The host reads
 * `abi_version` first and refuses the plugin unless it equals CONCORD_PLUGIN_ABI_VERSION; only
 * then does it read the rest. Nothing but C types crosses this boundary: strings come with
 * their sizes, records come as the plain `concord_record_view` below, and results go back
 * through sink callbacks the host provides, so neither side frees what the other allocated.
 *
 * Errors: every call returns a `concord_plugin_status`; on a failure the plugin writes a
 * sentence into the caller's `concord_plugin_error` (what failed, where, what to do). A plugin
 * written in C++ must catch every exception inside its functions: an exception must never
 * leave a function declared here.
 *
 * Threads: the host may call the functions of one instance from several threads at once, so
 * an instance must be safe to read concurrently once `create` has returned.
 *
 * Versioning: a change to any struct below or to the meaning of a call is a new
 * CONCORD_PLUGIN_ABI_VERSION; plugins built against another version are refused. */
#ifndef CONCORD_PLUGIN_H
#define CONCORD_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#define CONCORD_PLUGIN_EXPORT __declspec(dllexport)
#else
#define CONCORD_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

#define CONCORD_PLUGIN_ABI_VERSION 1u
#define CONCORD_PLUGIN_ENTRY_SYMBOL "concord_plugin_entry"

/* What a plugin provides; exactly one of the descriptor's kind tables is set. */
enum concord_plugin_kind {
  CONCORD_PLUGIN_TERMINOLOGY = 1, /* refset membership and legacy code maps */
  CONCORD_PLUGIN_FUNCTIONS = 2,   /* scores computed from a record (CHA2DS2-VASc, eFI) */
  CONCORD_PLUGIN_RENDERER = 3     /* the contract's JSON output turned into another document */
};

enum concord_plugin_status {
  CONCORD_PLUGIN_OK = 0,
  CONCORD_PLUGIN_NOT_FOUND = 1,    /* the plugin does not know what was asked (a refset) */
  CONCORD_PLUGIN_NO_VALUE = 2,     /* a function cannot be computed for this record */
  CONCORD_PLUGIN_BAD_ARGUMENT = 3, /* a setting or an input the plugin cannot use */
  CONCORD_PLUGIN_FAILED = 4,       /* anything else; the message says what */
  CONCORD_PLUGIN_STOPPED = 5       /* a sink asked to stop (the host could not take more) */
};

/* The caller's buffer for a failure message; the plugin writes a NUL-terminated sentence. */
#define CONCORD_PLUGIN_ERROR_SIZE 512
typedef struct concord_plugin_error {
  char message[CONCORD_PLUGIN_ERROR_SIZE];
} concord_plugin_error;

/* A string that is not NUL-terminated: `size` bytes at `data` (UTF-8). */
typedef struct concord_str {
  const char* data;
  size_t size;
} concord_str;

/* Host callbacks that receive results, valid only during the call they are passed to. They
 * return 0 to go on and non-zero to ask the plugin to stop (it then returns
 * CONCORD_PLUGIN_STOPPED). */
typedef int (*concord_plugin_text_sink)(void* context, concord_str text);
typedef int (*concord_plugin_code_sink)(void* context, concord_str system, concord_str code);

/* Settings from the plugin's section of the configuration file, in file order. */
typedef struct concord_plugin_setting {
  const char* key;   /* NUL-terminated */
  const char* value; /* NUL-terminated, as written (write paths in full) */
} concord_plugin_setting;

typedef struct concord_plugin_settings {
  const concord_plugin_setting* items;
  size_t count;
} concord_plugin_settings;

/* ---- A record as plain C: the coded facts of one person, valid during one call. ---- */

/* Days since 1970-01-01 (proleptic Gregorian), the runtime's own date representation. */
typedef int32_t concord_days;

enum concord_fact_kind {
  CONCORD_FACT_DIAGNOSIS = 1,
  CONCORD_FACT_OBSERVATION = 2,
  CONCORD_FACT_PROCEDURE = 3,
  CONCORD_FACT_IMMUNIZATION = 4,
  CONCORD_FACT_FLAG = 5,
  CONCORD_FACT_ENCOUNTER = 6,
  CONCORD_FACT_MEDICATION = 7
};

/* Bits of concord_fact_view.flags. */
#define CONCORD_FACT_HAS_DATE 0x1u  /* `date` is set: onset, event date, or medication start */
#define CONCORD_FACT_HAS_END 0x2u   /* `end` is set: a diagnosis' abatement */
#define CONCORD_FACT_HAS_VALUE 0x4u /* `value` and `unit` are set */
#define CONCORD_FACT_REFUTED 0x8u   /* a refuted or entered-in-error diagnosis: never counts */
#define CONCORD_FACT_RESOLVED 0x10u /* a diagnosis recorded as resolved without a date */
#define CONCORD_FACT_ACTIVE 0x20u   /* a medication that is active and current */

typedef struct concord_code_view {
  concord_str system; /* "snomed", "loinc", "read2", "ctv3", "dmd", ... or a URI */
  concord_str code;
} concord_code_view;

typedef struct concord_fact_view {
  uint32_t kind;  /* concord_fact_kind */
  uint32_t flags; /* CONCORD_FACT_* bits */
  const concord_code_view* codes;
  size_t code_count;
  concord_days date;
  concord_days end;
  double value;
  concord_str unit;
} concord_fact_view;

typedef struct concord_record_view {
  concord_str id;
  concord_str sex; /* administrative gender as recorded: "female", "male", ... */
  uint32_t has_birth_date;
  concord_days birth_date;
  const concord_fact_view* facts;
  size_t fact_count;
} concord_record_view;

/* ---- The tables of each kind. ---- */

typedef struct concord_terminology_api {
  /* Streams the SNOMED CT concept ids of the active members of `refset_id` to `sink`;
   * CONCORD_PLUGIN_NOT_FOUND when the plugin has no such refset. */
  int (*refset_members)(void* instance, concord_str refset_id, concord_plugin_text_sink sink,
                        void* context, concord_plugin_error* error);
  /* Streams the other codes that record `snomed_concept`: legacy codes (system "read2" or
   * "ctv3") that map to it, and its SNOMED CT description ids (system "snomed"), which some
   * record systems send in place of the concept id; CONCORD_PLUGIN_OK with nothing streamed
   * when there are none. */
  int (*legacy_codes_for)(void* instance, concord_str snomed_concept, concord_plugin_code_sink sink,
                          void* context, concord_plugin_error* error);
} concord_terminology_api;

typedef struct concord_functions_api {
  size_t (*count)(void* instance);
  /* The name of function `index` (< count), NUL-terminated, valid while the instance lives. */
  const char* (*name)(void* instance, size_t index);
  /* Computes function `index` for the record on `date` into *value; CONCORD_PLUGIN_NO_VALUE
   * (with a message saying what is missing) when it cannot be computed. */
  int (*call)(void* instance, size_t index, const concord_record_view* record, concord_days date,
              double* value, concord_plugin_error* error);
} concord_functions_api;

typedef struct concord_renderer_api {
  const char* format;     /* the name users choose it by, e.g. "fhir" */
  const char* media_type; /* what it produces, e.g. "application/fhir+json" */
  /* Turns one `concord_output` JSON object into the document, streamed to `sink`. */
  int (*render)(void* instance, concord_str output_json, concord_plugin_text_sink sink,
                void* context, concord_plugin_error* error);
} concord_renderer_api;

/* The descriptor `concord_plugin_entry` returns; static storage in the plugin. */
typedef struct concord_plugin {
  uint32_t abi_version; /* CONCORD_PLUGIN_ABI_VERSION; read before anything else */
  uint32_t kind;        /* concord_plugin_kind */
  const char* name;     /* a short stable id, e.g. "terminology" */
  const char* version;  /* the plugin's own version, e.g. "1.0.0" */
  const char* description;
  /* Makes an instance from the settings (*instance may stay NULL for a stateless plugin). */
  int (*create)(const concord_plugin_settings* settings, void** instance,
                concord_plugin_error* error);
  void (*destroy)(void* instance);
  const concord_terminology_api* terminology; /* set when kind == CONCORD_PLUGIN_TERMINOLOGY */
  const concord_functions_api* functions;     /* set when kind == CONCORD_PLUGIN_FUNCTIONS */
  const concord_renderer_api* renderer;       /* set when kind == CONCORD_PLUGIN_RENDERER */
} concord_plugin;

typedef const concord_plugin* (*concord_plugin_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* CONCORD_PLUGIN_H */
