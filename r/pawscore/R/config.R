# Client configuration in paws' shape, validated and resolved against the
# environment and the shared AWS files.

config_names <- c(
  "region", "endpoint", "credentials", "max_attempts", "connect_timeout", "read_timeout",
  "deadline",
  # paws' own keys (paws_compat.R gives their meaning)
  "close_connection", "s3_force_path_style", "s3_virtual_address", "sts_regional_endpoint",
  "signature_version"
)
credential_names <- c("creds", "profile", "anonymous")
# paws' creds also carry `expiration` (accepted, as in Python, and not used).
creds_names <- c(
  "access_key_id", "secret_access_key", "session_token", "expiration", "access_token"
)
# A region ends up in a host name: keep it to the characters AWS uses.
region_re <- "^[a-z0-9]+(-[a-z0-9]+)*$"
endpoint_re <- "^https?://[^/?#[:space:]]+"

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
  if (is_string(config[["region"]]) && !grepl(region_re, config[["region"]])) {
    problems <- c(problems, sprintf(
      "config$region %s is not a valid region name", dQuote(config[["region"]], FALSE)
    ))
  }
  if (is_string(config[["endpoint"]]) && !grepl(endpoint_re, config[["endpoint"]])) {
    problems <- c(problems, "config$endpoint must be an http:// or https:// URL")
  }
  for (field in c("max_attempts", "connect_timeout", "read_timeout", "deadline")) {
    value <- config[[field]]
    if (!is.null(value) && !(is.numeric(value) && length(value) == 1 && !is.na(value) &&
      value > 0)) {
      problems <- c(problems, sprintf("config$%s must be a positive number", field))
    } else if (field == "max_attempts" && !is.null(value) && value != trunc(value)) {
      problems <- c(problems, "config$max_attempts must be a whole number")
    }
  }
  cred <- config$credentials
  if (!is.null(cred)) {
    if (!is.list(cred)) {
      problems <- c(problems, "config$credentials must be a named list")
    } else {
      problems <- c(problems, unknown_names(names(cred), credential_names, "config$credentials"))
      # Checked, not ignored: a mistyped profile must not fall back to "default".
      profile <- cred[["profile"]]
      if (!is.null(profile) &&
        !(is.character(profile) && length(profile) == 1 && !is.na(profile))) {
        problems <- c(problems, "config$credentials$profile must be a single string")
      }
      anonymous <- cred[["anonymous"]]
      if (!is.null(anonymous) && !(is.logical(anonymous) && length(anonymous) == 1 &&
        !is.na(anonymous))) {
        problems <- c(problems, "config$credentials$anonymous must be TRUE or FALSE")
      }
      if (!is.null(cred$creds)) {
        if (!is.list(cred$creds)) {
          problems <- c(problems, "config$credentials$creds must be a named list")
        } else {
          problems <- c(problems, unknown_names(
            names(cred$creds), creds_names, "config$credentials$creds"
          ))
          for (key in setdiff(creds_names, c("expiration", "access_token"))) {
            value <- cred$creds[[key]]
            if (!is.null(value) && !(is.character(value) && length(value) == 1 && !is.na(value))) {
              # Name the key only: the value may be a secret.
              problems <- c(problems, sprintf("config$credentials$creds$%s must be a string", key))
            }
          }
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
      read_timeout = config$read_timeout %||% 60,
      close_connection = isTRUE(config$close_connection),
      # Seconds for a whole call (retries, headers, body); NULL: no limit.
      deadline = config$deadline
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
      return(checked_region(value, var))
    }
  }
  profile <- profile_name(config$credentials$profile)
  region <- profile_section(profile)[["region"]]
  if (is_string(region)) {
    return(checked_region(region, sprintf("profile '%s'", profile)))
  }
  stop(paws_condition(
    "paws_no_region",
    sprintf(
      "No region: set config$region, AWS_REGION, AWS_DEFAULT_REGION or a region in profile '%s'",
      profile
    )
  ))
}

checked_region <- function(region, where) {
  if (!grepl(region_re, region)) {
    stop(paws_condition("paws_config_error", sprintf(
      "Region %s from %s is not a valid region name", dQuote(region, FALSE), where
    )))
  }
  region
}

resolve_endpoint <- function(config, metadata, region) {
  endpoint <- config$endpoint
  if (!is_string(endpoint)) {
    service_var <- paste0(
      "AWS_ENDPOINT_URL_", toupper(gsub("[^A-Za-z0-9]+", "_", metadata$service_id))
    )
    for (var in c(service_var, "AWS_ENDPOINT_URL")) {
      endpoint <- Sys.getenv(var)
      if (nzchar(endpoint)) {
        if (!grepl(endpoint_re, endpoint)) {
          stop(paws_condition("paws_config_error", sprintf(
            "%s must be an http:// or https:// URL", var
          )))
        }
        break
      }
    }
  }
  if (!nzchar(endpoint)) {
    # China regions live under their own domain.
    suffix <- if (startsWith(region, "cn-")) "amazonaws.com.cn" else "amazonaws.com"
    endpoint <- sprintf("https://%s.%s.%s", metadata$endpoint_prefix, region, suffix)
  }
  sub("/+$", "", endpoint)
}
