# The Lambda endpoint rule set, partitions and AWS's endpoint test cases, in
# data/endpoints (synced from the repository with LICENSE.txt and NOTICE beside
# them) so R CMD check runs the cases without the rest of the repository.

endpoints_dir <- function() test_data_path("endpoints")

lambda_rules <- function() {
  endpoint_rules(
    read_json_file(file.path(endpoints_dir(), "endpoint-rule-set-1.json")),
    read_json_file(file.path(endpoints_dir(), "partitions.json"))
  )
}

# The URL a client with `config` would call in `region`, under the Lambda rules.
endpoint_url_for <- function(config, region, rules = lambda_rules()) {
  resolve_service_endpoint(rules, region, endpoint_settings(config, lambda_meta), lambda_meta)$url
}

lambda_meta <- list(endpoint_prefix = "lambda", service_id = "Lambda", signing_name = "lambda")
