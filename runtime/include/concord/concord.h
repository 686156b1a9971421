/* Concord's stable C ABI: load a rulesets folder once (with the plugins a configuration file
 * names, when its rulesets use refsets or scores), evaluate FHIR R4 records against it from any
 * number of threads, and read back the contract JSON (CONTRACT.md).
 *
 * The shape follows SQLite's C API: opaque handles, every call returns a status code, a
 * separate accessor gives the message, and what the library allocates it frees (through
 * concord_result_free / concord_close). No C++ type and no exception crosses this boundary,
 * and every buffer passed in comes with its length, so any host (C, C#, Java, Python, PHP,
 * Delphi) can load libconcord.so / concord.dll and call it.
 *
 * Threads: one concord_runtime may be used from many threads at once. concord_evaluate runs
 * concurrently with other evaluations and with concord_reload; an evaluation always finishes
 * on the rulesets it started with. Only concord_close must not race any other call on the
 * same runtime. A concord_result belongs to the caller and is not shared by the library.
 *
 * Messages: concord_errmsg(runtime) is kept per runtime *and per thread*: it describes the
 * most recent call that the calling thread made on that runtime, so threads never see each
 * other's messages. Strings a runtime returns (messages, diagnostics) stay valid until the
 * calling thread's next call on that runtime or concord_close; a result's JSON stays valid
 * until concord_result_free, even after concord_close. Copy them to keep them longer.
 *
 * Versioning: the ABI only grows; a symbol once published keeps its signature and meaning.
 * Check concord_abi_version() == CONCORD_ABI_VERSION at load time. That number changes only
 * if a published symbol ever had to change; functions added later keep it, and carry an ELF
 * symbol version of their own instead (CONCORD_1 for the first set, CONCORD_2 for
 * concord_open_config): a host that calls concord_open_config fails to start against an
 * older library, the loader naming the version it lacks, and a host that loads symbols at run
 * time (dlsym, ctypes, P/Invoke) can look concord_open_config up and fall back to concord_open
 * when it is absent. */
#ifndef CONCORD_CONCORD_H
#define CONCORD_CONCORD_H

#include <stddef.h>

#if defined(_WIN32)
#if defined(CONCORD_BUILDING_LIBRARY)
#define CONCORD_API __declspec(dllexport)
#else
#define CONCORD_API __declspec(dllimport)
#endif
#else
#define CONCORD_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* The ABI this header describes; concord_abi_version() returns the one the library built. */
#define CONCORD_ABI_VERSION 1

/* The largest record concord_evaluate accepts, in bytes (64 MiB). A larger one is refused
 * with CONCORD_ERROR_RECORD before any of it is parsed. */
#define CONCORD_MAX_RECORD_BYTES ((size_t)64 * 1024 * 1024)

/* Status codes: every call that can fail returns one. New codes may be added; treat an
 * unknown non-zero code as an error (concord_errstr names it). */
enum concord_status {
  CONCORD_OK = 0,
  CONCORD_ERROR_ARGUMENT = 1, /* a NULL or malformed argument (bad date, NUL inside a path),
                                 or a configuration file that cannot be used as it stands */
  CONCORD_ERROR_RULESETS = 2, /* the rulesets have errors, or none are loaded */
  CONCORD_ERROR_RECORD = 3,   /* the record is not readable FHIR R4 JSON, or is too large */
  CONCORD_ERROR_MEMORY = 4,   /* out of memory */
  CONCORD_ERROR_INTERNAL = 5  /* a bug in Concord: please report the message */
};

/* A loaded rulesets folder: the compiled rules plus the diagnostics of the last load. */
typedef struct concord_runtime concord_runtime;

/* The output of one concord_evaluate call; owned by the caller, freed with
 * concord_result_free. */
typedef struct concord_result concord_result;

/* The ABI version the library was built with (CONCORD_ABI_VERSION of its header). */
CONCORD_API int concord_abi_version(void);

/* The library's release version, e.g. "0.1.0" (static storage). */
CONCORD_API const char* concord_version(void);

/* A fixed English description of a status code (static storage), like sqlite3_errstr. */
CONCORD_API const char* concord_errstr(int status);

/* Loads and compiles the rulesets at `rulesets_dir` (a folder searched recursively for
 * *.concord files, or one .concord file); the path is `dir_len` bytes, not NUL-terminated.
 *
 * On CONCORD_OK, *out is a runtime ready to evaluate.
 * On CONCORD_ERROR_RULESETS, *out is STILL a runtime: it has no rules loaded (evaluate
 * refuses), but concord_diagnostics_json and concord_errmsg describe every error, and
 * concord_reload can load the folder once it is fixed. Close it with concord_close.
 * On any other error, *out is NULL and concord_errmsg(NULL) gives the message.
 * If out itself is NULL, CONCORD_ERROR_ARGUMENT is returned. */
CONCORD_API int concord_open(const char* rulesets_dir, size_t dir_len, concord_runtime** out);

/* Loads and compiles rulesets as `concord` does with a configuration file: the file at
 * `config_path` (`path_len` bytes, not NUL-terminated; a `path_len` of 0, with config_path
 * NULL or not, means the default file /etc/concord/concord.conf) gives the [rulesets] folders
 * (default: the shipped rulesets installed beside this library) and the [plugins] folders,
 * [plugins.sha256] digests and [plugin.NAME] settings, so that rulesets that use `refset "ID"` (a
 * terminology plugin) or `score NAME` (a functions plugin such as the clinical one) compile. The
 * file is checked as `concord config check` checks it; [rulesets] locale is checked too, but the
 * contract JSON has no localised text, so it does not change concord_evaluate's output. Every
 * plugin file in the plugin folders is loaded under the same checks as `concord` (inside a
 * configured folder once symlinks are resolved; neither it nor its folders writable by group or
 * others, and owned by root or the calling user; its SHA-256 when digests are listed; the plugin
 * ABI version).
 *
 * Unlike `concord run` and `concord serve`, which warn about a refused plugin and go on,
 * this opens nothing unless every plugin in the folders loads and every plugin the file names
 * ([plugins.sha256], [plugin.NAME]) is among them: a host has no console for warnings, and a
 * runtime missing a plugin its configuration promises must not look healthy. Keep in the
 * plugin folders only the plugins the configuration sets up.
 *
 * The runtime holds its plugins until concord_close; concord_reload recompiles the rulesets
 * with the same plugins, so open a new runtime after installing, removing or changing a plugin
 * or its data files.
 *
 * On CONCORD_OK, *out is a runtime ready to evaluate.
 * On CONCORD_ERROR_RULESETS, *out is STILL a runtime, as with concord_open: the rulesets have
 * errors (concord_diagnostics_json lists them; a ruleset that needs a plugin the runtime does
 * not have is a "no-terminology" or "no-functions" error, and concord_errmsg then says which
 * plugins the runtime has), and concord_reload loads them once fixed.
 * On CONCORD_ERROR_ARGUMENT, *out is NULL and concord_errmsg(NULL) says what is wrong, where
 * (file:line, plugin file) and what to do: the file cannot be read or is invalid, it names no
 * rulesets folder and no shipped rulesets are installed, or a plugin was refused or is missing
 * (every such plugin is listed). Other errors as concord_open. */
CONCORD_API int concord_open_config(const char* config_path, size_t path_len,
                                    concord_runtime** out);

/* Re-reads and recompiles the runtime's rulesets folder, then switches to the new rules
 * atomically: evaluations already running finish on the old rules, later ones use the new.
 * If the new rules have errors, CONCORD_ERROR_RULESETS is returned, the last good rules stay
 * in use, and concord_diagnostics_json / concord_errmsg describe the errors. Reloads on one
 * runtime are serialised; it is safe to call while other threads evaluate. A runtime opened
 * with concord_open_config reloads all its rulesets folders with the plugins it was opened
 * with; the configuration file is not read again. */
CONCORD_API int concord_reload(concord_runtime* runtime);

/* The diagnostics of the most recent load or reload (successful or not), as the JSON array
 * of CONTRACT.md: [{"file","line","column","severity","code","message","hint"}]; "[]" when
 * clean. Returns NULL if runtime is NULL. If len is not NULL, *len is set to the byte length
 * (excluding the terminating NUL). The string is a copy for the calling thread: it stays
 * valid until this thread's next call on the runtime, or concord_close. */
CONCORD_API const char* concord_diagnostics_json(concord_runtime* runtime, size_t* len);

/* Evaluates a FHIR R4 JSON record (a Bundle or a single resource; `record_len` bytes, not
 * NUL-terminated) with the runtime's current rules at `date_iso` ("YYYY-MM-DD",
 * NUL-terminated; NULL means today in local time).
 *
 * On CONCORD_OK, *out is a new result holding one contract JSON object per Patient in the
 * record, each on its own line ending in "\n" (JSON Lines; the same bytes as
 * `concord run --format json`). Parts of the record that could not be used, and a plugin
 * that failed for that person (a score that could not be computed: it then satisfies no
 * comparison), are warnings in each object's "diagnostics"; the library writes nothing to
 * stderr for them. On error, *out is NULL and concord_errmsg says why:
 * CONCORD_ERROR_RECORD (unreadable or larger than CONCORD_MAX_RECORD_BYTES),
 * CONCORD_ERROR_ARGUMENT (NULL pointers, a bad date), CONCORD_ERROR_RULESETS (no rules were
 * ever loaded). The record's "source" in the output is "record". */
CONCORD_API int concord_evaluate(concord_runtime* runtime, const char* record, size_t record_len,
                                 const char* date_iso, concord_result** out);

/* As concord_evaluate, naming the record's source (a file name, never patient data) for the
 * output's "record.source" and for warnings; `source_name` is `source_len` bytes. */
CONCORD_API int concord_evaluate_source(concord_runtime* runtime, const char* record,
                                        size_t record_len, const char* source_name,
                                        size_t source_len, const char* date_iso,
                                        concord_result** out);

/* The result's JSON Lines text (NUL-terminated; *len, if len is not NULL, is its byte length).
 * Owned by the result: valid until concord_result_free. NULL if result is NULL. */
CONCORD_API const char* concord_result_json(const concord_result* result, size_t* len);

/* How many records (JSON lines) the result holds; 0 if result is NULL. */
CONCORD_API size_t concord_result_count(const concord_result* result);

/* Frees a result; NULL is a no-op. Results may be freed from any thread, before or after the
 * runtime that made them is closed. */
CONCORD_API void concord_result_free(concord_result* result);

/* The message for the calling thread's most recent call on `runtime` (NUL-terminated UTF-8),
 * or "" if that call succeeded. With runtime NULL: the message of this thread's most recent
 * call that failed without a runtime to hold it (concord_open failing before it made one,
 * or any call given a NULL runtime). Never returns NULL. Valid until this thread's next call
 * on the same runtime (or, for NULL, its next such failure), or concord_close. */
CONCORD_API const char* concord_errmsg(concord_runtime* runtime);

/* Frees the runtime and everything it owns (results already returned stay valid). NULL is a
 * no-op. No other call on this runtime may be running or follow. */
CONCORD_API void concord_close(concord_runtime* runtime);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CONCORD_CONCORD_H */
