# Client configuration in paws' shape, validated and resolved against the
# environment and the shared AWS files.

config_names <- c(
  "region", "endpoint", "credentials", "max_attempts", "retry_mode", "connect_timeout",
  "read_timeout", "use_fips_endpoint", "use_dualstack_endpoint", "proxy", "ca_bundle",
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
  mode <- config[["retry_mode"]]
  if (!is.null(mode) && !(is_string(mode) && mode %in% retry_modes)) {
    problems <- c(problems, sprintf(
      "config$retry_mode must be one of: %s", paste(retry_modes, collapse = ", ")
    ))
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
  for (field in c("use_fips_endpoint", "use_dualstack_endpoint")) {
    value <- config[[field]]
    if (!is.null(value) && !(is.logical(value) && length(value) == 1 && !is.na(value))) {
      problems <- c(problems, sprintf("config$%s must be TRUE or FALSE", field))
    }
  }
  problems <- c(problems, check_proxy(config[["proxy"]]))
  if (!is.null(config[["ca_bundle"]]) && !is_string(config[["ca_bundle"]])) {
    problems <- c(problems, "config$ca_bundle must be the path of a PEM file")
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

# A proxy is one URL for every scheme, or list(http = url, https = url).
check_proxy <- function(proxy) {
  if (is.null(proxy)) {
    return(character())
  }
  urls <- if (is.list(proxy)) proxy else list(proxy)
  if (is.list(proxy) && (is.null(names(proxy)) || !all(names(proxy) %in% c("http", "https")))) {
    return("config$proxy names must be 'http' and/or 'https'")
  }
  ok <- vapply(urls, function(u) is_string(u) && grepl("^[a-z][a-z0-9+.-]*://[^/?#[:space:]]+", u), TRUE)
  if (!all(ok)) {
    return("config$proxy must be a proxy URL such as http://host:3128")
  }
  character()
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

# Resolve a config into what a call needs: region, endpoint (from the service's
# endpoint `rules`, see endpoints.R), signing region and name, a credentials
# provider (NULL when anonymous; kept in `cache`, the client's own or the
# package's), retry settings, timeouts, proxy and CA bundle.
#
# Every call resolves anew, as in paws, so a changed environment variable,
# profile or shared file takes effect at the next call. Resolving reads the
# shared files and many variables, though (about half a millisecond), so the
# last few results are reused while their inputs are unchanged: the same config,
# metadata and rules, the whole environment, and the shared files' stamps
# (the last two as one digest). The environment is read once for both: the
# proxies it names (`env_proxies`, used when the config sets no proxy) are
# part of the resolved config, so a call reads it no more.
resolve_config <- function(config, metadata, rules = NULL, cache = NULL) {
  entries <- env_entries()
  # The environment is kept as a digest: its values include secrets.
  env_digest <- digest::digest(list(entries, chain_file_stamps()))
  inputs <- list(metadata, config, cache, env_digest, rules)
  for (entry in resolved_configs$entries) {
    if (identical(entry$inputs, inputs)) {
      return(entry$value)
    }
  }
  value <- resolve_config_now(config, metadata, rules, cache, env_vars(entries))
  kept <- resolved_configs$entries
  resolved_configs$entries <- c(list(list(inputs = inputs, value = value)), kept)[
    seq_len(min(length(kept) + 1L, resolved_configs_kept))
  ]
  value
}

resolved_configs <- new.env(parent = emptyenv())

# The whole environment as "NAME=value" entries, in the order the process
# keeps them. Sys.getenv() sorts the variables by name in the locale's
# collation, which was nine tenths of its cost; the same internal call,
# reached with a zero-length `x`, gives every entry unsorted. Should that ever
# give nothing, the entries are made from Sys.getenv().
env_entries <- function() {
  entries <- Sys.getenv(character())
  if (!length(entries) || !is.null(names(entries))) {
    vars <- Sys.getenv()
    entries <- paste0(names(vars), "=", vars)
  }
  entries
}

# The environment as named values (as Sys.getenv(), unsorted) from its entries.
env_vars <- function(entries = env_entries()) {
  eq <- regexpr("=", entries, fixed = TRUE)
  values <- substring(entries, eq + 1L)
  names(values) <- substring(entries, 1L, eq - 1L)
  values
}
resolved_configs_kept <- 8L

# `env`: the whole environment, as env_vars() gives it.
resolve_config_now <- function(config, metadata, rules = NULL, cache = NULL, env = Sys.getenv()) {
  config <- check_config(config %||% list())
  cache <- cache %||% attr(config, "paws_cache") %||% credential_cache
  region <- resolve_region(config)
  endpoint <- resolve_service_endpoint(rules, region, endpoint_settings(config, metadata), metadata)
  retry <- resolve_retry(config)
  structure(
    list(
      region = region,
      endpoint = endpoint$url,
      signing_region = endpoint$signing_region,
      signing_name = endpoint$signing_name,
      credentials = cached_provider(
        config$credentials %||% list(), region, cache, config$sts_regional_endpoint
      ),
      max_attempts = retry$max_attempts,
      retry_mode = retry$mode,
      connect_timeout = config$connect_timeout %||% 10,
      read_timeout = config$read_timeout %||% 60,
      proxy = resolve_proxy(config[["proxy"]]),
      # The environment's proxies, for a config without one (see proxy_for()).
      env_proxies = if (is.null(config[["proxy"]])) env_proxies(env),
      ca_bundle = resolve_ca_bundle(config),
      close_connection = isTRUE(config$close_connection),
      # Seconds for a whole call (retries, headers, body); NULL: no limit.
      deadline = config$deadline
    ),
    class = "paws_resolved_config"
  )
}

# The config's proxy as list(http = , https = ); NULL to use the environment.
resolve_proxy <- function(proxy) {
  if (is.null(proxy)) {
    return(NULL)
  }
  if (is.list(proxy)) proxy else list(http = proxy, https = proxy)
}

# The CA bundle: config$ca_bundle, then AWS_CA_BUNDLE, then the profile's
# ca_bundle, as in botocore. NULL means the system's certificates.
resolve_ca_bundle <- function(config) {
  bundle <- config[["ca_bundle"]]
  if (!is_string(bundle)) bundle <- Sys.getenv("AWS_CA_BUNDLE")
  if (!is_string(bundle)) {
    bundle <- profile_section(profile_name(config$credentials$profile))[["ca_bundle"]]
  }
  if (is_string(bundle)) path.expand(bundle)
}

# Retry mode and attempts: config, then AWS_RETRY_MODE / AWS_MAX_ATTEMPTS, then
# the profile's retry_mode / max_attempts, then the mode's default (standard
# and adaptive 3, legacy 5, as botocore).
resolve_retry <- function(config) {
  profile <- NULL
  from_profile <- function(key) {
    if (is.null(profile)) profile <<- profile_section(profile_name(config$credentials$profile)) %||% list()
    profile[[key]]
  }
  mode <- config$retry_mode
  where <- "config$retry_mode"
  if (is.null(mode) && nzchar(Sys.getenv("AWS_RETRY_MODE"))) {
    mode <- Sys.getenv("AWS_RETRY_MODE")
    where <- "AWS_RETRY_MODE"
  }
  if (is.null(mode) && !is.null(from_profile("retry_mode"))) {
    mode <- from_profile("retry_mode")
    where <- "retry_mode in the profile"
  }
  mode <- mode %||% "standard"
  if (!mode %in% retry_modes) {
    stop(paws_condition("paws_config_error", sprintf(
      "%s %s is not one of: %s", where, dQuote(mode, FALSE), paste(retry_modes, collapse = ", ")
    )))
  }
  attempts <- config$max_attempts
  if (is.null(attempts)) {
    for (src in list(
      list(Sys.getenv("AWS_MAX_ATTEMPTS"), "AWS_MAX_ATTEMPTS"),
      list(from_profile("max_attempts") %||% "", "max_attempts in the profile")
    )) {
      if (!nzchar(src[[1]])) next
      attempts <- suppressWarnings(as.integer(src[[1]]))
      if (is.na(attempts) || attempts < 1L || !grepl("^[0-9]+$", trimws(src[[1]]))) {
        stop(paws_condition("paws_config_error", sprintf(
          "%s must be a whole number of at least 1", src[[2]]
        )))
      }
      break
    }
  }
  list(mode = mode, max_attempts = as.integer(attempts %||% retry_default_attempts[[mode]]))
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
  if ((is_string(config$credentials$profile) || profile_from_env()) &&
    is.null(shared_profiles()$all[[profile]])) {
    stop(profile_not_found(profile))
  }
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
