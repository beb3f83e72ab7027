# Client configuration in paws' shape, validated and resolved against the
# environment and the shared AWS files.

config_names <- c(
  "region", "endpoint", "credentials", "max_attempts", "connect_timeout", "read_timeout"
)
credential_names <- c("creds", "profile", "anonymous")
creds_names <- c("access_key_id", "secret_access_key", "session_token")

# Check the shape of a user config; raises `paws_config_error` listing every problem.
check_config <- function(config) {
  problems <- character()
  if (is.null(config)) config <- list()
  if (!is.list(config) || (length(config) && is.null(names(config)))) {
    stop(paws_condition("paws_config_error", "config must be a named list"))
  }
  problems <- c(problems, unknown_names(names(config), config_names, "config"))
  for (field in c("region", "endpoint")) {
    if (!is.null(config[[field]]) && !is_string(config[[field]])) {
      problems <- c(problems, sprintf("config$%s must be a single string", field))
    }
  }
  for (field in c("max_attempts", "connect_timeout", "read_timeout")) {
    value <- config[[field]]
    if (!is.null(value) && !(is.numeric(value) && length(value) == 1 && !is.na(value) &&
      value > 0)) {
      problems <- c(problems, sprintf("config$%s must be a positive number", field))
    }
  }
  cred <- config$credentials
  if (!is.null(cred)) {
    if (!is.list(cred)) {
      problems <- c(problems, "config$credentials must be a named list")
    } else {
      problems <- c(problems, unknown_names(names(cred), credential_names, "config$credentials"))
      if (!is.null(cred$creds)) {
        if (!is.list(cred$creds)) {
          problems <- c(problems, "config$credentials$creds must be a named list")
        } else {
          problems <- c(problems, unknown_names(
            names(cred$creds), creds_names, "config$credentials$creds"
          ))
        }
      }
    }
  }
  if (length(problems)) {
    msg <- paste0("Invalid config:\n", paste0("  - ", problems, collapse = "\n"))
    stop(paws_condition("paws_config_error", msg, problems = problems))
  }
  invisible(config)
}

unknown_names <- function(given, allowed, where) {
  bad <- setdiff(given, allowed)
  if (!length(bad)) {
    return(character())
  }
  sprintf(
    "Unknown name %s in %s, must be one of: %s",
    dQuote(bad, FALSE), where, paste(allowed, collapse = ", ")
  )
}

# Resolve a config into what a call needs: region, endpoint, credentials
# (NULL when anonymous), attempts and timeouts.
resolve_config <- function(config, metadata) {
  config <- check_config(config %||% list())
  region <- resolve_region(config)
  structure(
    list(
      region = region,
      endpoint = resolve_endpoint(config, metadata, region),
      credentials = resolve_credentials(config$credentials %||% list()),
      max_attempts = as.integer(config$max_attempts %||% 3L),
      connect_timeout = config$connect_timeout %||% 10,
      read_timeout = config$read_timeout %||% 60
    ),
    class = "paws_resolved_config"
  )
}

# S3 method, registered in NAMESPACE.
format.paws_resolved_config <- function(x, ...) {
  creds <- if (is.null(x$credentials)) "anonymous" else format(x$credentials)
  sprintf(
    "<paws_resolved_config region=%s, endpoint=%s, credentials=%s>",
    x$region, x$endpoint, creds
  )
}

# S3 method, registered in NAMESPACE.
print.paws_resolved_config <- function(x, ...) {
  cat(format(x), "\n", sep = "")
  invisible(x)
}

resolve_region <- function(config) {
  if (is_string(config$region)) {
    return(config$region)
  }
  for (var in c("AWS_REGION", "AWS_DEFAULT_REGION")) {
    value <- Sys.getenv(var)
    if (nzchar(value)) {
      return(value)
    }
  }
  profile <- profile_name(config$credentials$profile)
  region <- profile_section(profile)$region
  if (is_string(region)) {
    return(region)
  }
  stop(paws_condition(
    "paws_no_region",
    sprintf(
      "No region: set config$region, AWS_REGION, AWS_DEFAULT_REGION or a region in profile '%s'",
      profile
    )
  ))
}

resolve_endpoint <- function(config, metadata, region) {
  endpoint <- config$endpoint
  if (!is_string(endpoint)) {
    service_var <- paste0(
      "AWS_ENDPOINT_URL_", toupper(gsub("[^A-Za-z0-9]+", "_", metadata$service_id))
    )
    endpoint <- Sys.getenv(service_var)
  }
  if (!nzchar(endpoint)) endpoint <- Sys.getenv("AWS_ENDPOINT_URL")
  if (!nzchar(endpoint)) {
    endpoint <- sprintf("https://%s.%s.amazonaws.com", metadata$endpoint_prefix, region)
  }
  sub("/+$", "", endpoint)
}
