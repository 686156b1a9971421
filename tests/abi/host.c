/* A plain C99 host of libconcord.so: opens the rulesets folder, evaluates one FHIR record
 * at 2021-11-01 and prints the contract JSON. Exits non-zero on any failure, and unless the
 * person got a merged review. Usage: abi_host_c RULESETS_DIR RECORD.json */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "concord/concord.h"

/* Reads a whole file into a malloc'd buffer; returns NULL on failure. */
static char* read_file(const char* path, size_t* size) {
  FILE* file = fopen(path, "rb");
  char* data = NULL;
  long length;
  if (file == NULL) return NULL;
  if (fseek(file, 0, SEEK_END) == 0 && (length = ftell(file)) >= 0 &&
      fseek(file, 0, SEEK_SET) == 0) {
    data = malloc((size_t)length + 1);
    if (data != NULL && fread(data, 1, (size_t)length, file) != (size_t)length) {
      free(data);
      data = NULL;
    }
    if (data != NULL) *size = (size_t)length;
  }
  fclose(file);
  return data;
}

int main(int argc, char** argv) {
  concord_runtime* runtime = NULL;
  concord_result* result = NULL;
  char* record = NULL;
  size_t record_len = 0;
  const char* json;
  size_t json_len = 0;
  int status;
  int exit_code = 1;

  if (argc != 3) {
    fprintf(stderr, "usage: %s RULESETS_DIR RECORD.json\n", argv[0]);
    return 2;
  }
  if (concord_abi_version() != CONCORD_ABI_VERSION) {
    fprintf(stderr, "libconcord ABI %d, header ABI %d\n", concord_abi_version(),
            CONCORD_ABI_VERSION);
    return 1;
  }

  status = concord_open(argv[1], strlen(argv[1]), &runtime);
  if (status != CONCORD_OK) {
    fprintf(stderr, "concord_open: %s: %s\n", concord_errstr(status), concord_errmsg(runtime));
    goto done;
  }
  record = read_file(argv[2], &record_len);
  if (record == NULL) {
    fprintf(stderr, "cannot read %s\n", argv[2]);
    goto done;
  }
  status = concord_evaluate(runtime, record, record_len, "2021-11-01", &result);
  if (status != CONCORD_OK) {
    fprintf(stderr, "concord_evaluate: %s: %s\n", concord_errstr(status), concord_errmsg(runtime));
    goto done;
  }
  json = concord_result_json(result, &json_len);
  if (json == NULL || json_len != strlen(json) || concord_result_count(result) != 1) {
    fprintf(stderr, "unexpected result shape\n");
    goto done;
  }
  fwrite(json, 1, json_len, stdout);
  if (strstr(json, "\"kind\":\"merged\"") == NULL) {
    fprintf(stderr, "the output has no merged review\n");
    goto done;
  }
  exit_code = 0;

done:
  concord_result_free(result);
  concord_close(runtime);
  free(record);
  return exit_code;
}
