/* A host of the installed libconcord.so: opens the installed rulesets (or a rulesets folder,
 * or a configuration file with its plugins), evaluates one FHIR R4 record on a given date
 * through the C ABI (concord.h) and prints the contract JSON.
 * Exits 0 only when the library's ABI matches the header and the person got a review.
 * Usage: concord_test_host RECORD.json YYYY-MM-DD [RULESETS_DIR | CONFIG.conf] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <concord/concord.h>

static char* read_all(const char* path, size_t* size) {
  FILE* file = fopen(path, "rb");
  char* data = NULL;
  size_t used = 0;
  size_t capacity = 0;
  size_t got;
  if (file == NULL) return NULL;
  do {
    if (used == capacity) {
      char* bigger = realloc(data, capacity = capacity ? capacity * 2 : 65536);
      if (bigger == NULL) {
        free(data);
        fclose(file);
        return NULL;
      }
      data = bigger;
    }
    got = fread(data + used, 1, capacity - used, file);
    used += got;
  } while (got > 0);
  if (ferror(file)) {
    free(data);
    data = NULL;
  }
  fclose(file);
  *size = used;
  return data;
}

/* Whether the argument names a configuration file (*.conf) rather than a rulesets folder. */
static int is_config(const char* path) {
  const size_t len = strlen(path);
  return len > 5 && strcmp(path + len - 5, ".conf") == 0;
}

int main(int argc, char** argv) {
  const char* rulesets = argc > 3 ? argv[3] : CONCORD_INSTALLED_RULESETS;
  concord_runtime* runtime = NULL;
  concord_result* result = NULL;
  char* record = NULL;
  size_t record_len = 0;
  size_t json_len = 0;
  const char* json;
  int status;
  int exit_code = 1;

  if (argc < 3 || argc > 4) {
    fprintf(stderr, "usage: %s RECORD.json YYYY-MM-DD [RULESETS_DIR | CONFIG.conf]\n", argv[0]);
    return 2;
  }
  if (concord_abi_version() != CONCORD_ABI_VERSION) {
    fprintf(stderr, "libconcord has ABI %d; this host was built for ABI %d\n",
            concord_abi_version(), CONCORD_ABI_VERSION);
    return 1;
  }
  fprintf(stderr, "libconcord %s (ABI %d), opening %s\n", concord_version(), concord_abi_version(),
          rulesets);

  if (is_config(rulesets)) {
    status = concord_open_config(rulesets, strlen(rulesets), &runtime);
  } else {
    status = concord_open(rulesets, strlen(rulesets), &runtime);
  }
  if (status != CONCORD_OK) {
    /* A failed open without a runtime leaves its message with concord_errmsg(NULL). */
    fprintf(stderr, "opening %s: %s: %s\n", rulesets, concord_errstr(status),
            concord_errmsg(runtime));
    goto done;
  }
  record = read_all(argv[1], &record_len);
  if (record == NULL) {
    fprintf(stderr, "cannot read %s\n", argv[1]);
    goto done;
  }
  status = concord_evaluate(runtime, record, record_len, argv[2], &result);
  if (status != CONCORD_OK) {
    fprintf(stderr, "concord_evaluate: %s: %s\n", concord_errstr(status), concord_errmsg(runtime));
    goto done;
  }
  json = concord_result_json(result, &json_len);
  fwrite(json, 1, json_len, stdout);
  if (strstr(json, "\"review\":{") == NULL) {
    fprintf(stderr, "the person got no review\n");
    goto done;
  }
  exit_code = 0;

done:
  concord_result_free(result);
  concord_close(runtime);
  free(record);
  return exit_code;
}
