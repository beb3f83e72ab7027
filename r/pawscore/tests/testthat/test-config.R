# Config checks and resolution: region, endpoint and their environment sources.

meta <- list(endpoint_prefix = "lambda", service_id = "Lambda")
creds <- list(creds = list(access_key_id = "AK", secret_access_key = "SK"))

test_that("unknown config names are an error listing each one", {
  err <- tryCatch(check_config(list(regoin = "x", credentials = list(cred = 1))),
    error = function(e) e
  )
  expect_s3_class(err, c("paws_config_error", "paws_error"))
  expect_length(err$problems, 2)
  expect_match(err$problems[1], "regoin")
  expect_match(err$problems[2], "cred")
})

test_that("config values of the wrong type are rejected", {
  expect_error(check_config(list(region = 1)), class = "paws_config_error")
  expect_error(check_config(list(max_attempts = -1)), class = "paws_config_error")
  expect_error(check_config(list(read_timeout = "x")), class = "paws_config_error")
  expect_error(check_config("us-east-1"), class = "paws_config_error")
})

test_that("region comes from config, then AWS_REGION, AWS_DEFAULT_REGION, the profile", {
  dir <- withr::local_tempdir()
  cfg_file <- file.path(dir, "config")
  writeLines(c("[default]", "region = eu-west-1", "[profile dev]", "region = ap-south-1"), cfg_file)
  withr::local_envvar(AWS_CONFIG_FILE = cfg_file, AWS_REGION = NA, AWS_DEFAULT_REGION = NA,
                      AWS_PROFILE = NA)
  expect_identical(resolve_region(list()), "eu-west-1")
  expect_identical(resolve_region(list(credentials = list(profile = "dev"))), "ap-south-1")
  withr::local_envvar(AWS_PROFILE = "dev")
  expect_identical(resolve_region(list()), "ap-south-1")
  withr::local_envvar(AWS_DEFAULT_REGION = "us-west-1")
  expect_identical(resolve_region(list()), "us-west-1")
  withr::local_envvar(AWS_REGION = "us-west-2")
  expect_identical(resolve_region(list()), "us-west-2")
  expect_identical(resolve_region(list(region = "ca-central-1")), "ca-central-1")
})

test_that("no region anywhere is a paws_no_region error", {
  withr::local_envvar(AWS_CONFIG_FILE = tempfile(), AWS_REGION = NA, AWS_DEFAULT_REGION = NA)
  expect_error(resolve_region(list()), class = "paws_no_region")
})

test_that("endpoint comes from config, the service variable, AWS_ENDPOINT_URL, the default", {
  withr::local_envvar(AWS_ENDPOINT_URL_LAMBDA = NA, AWS_ENDPOINT_URL = NA)
  expect_identical(endpoint_url_for(list(), "us-east-2"), "https://lambda.us-east-2.amazonaws.com")
  withr::local_envvar(AWS_ENDPOINT_URL = "http://127.0.0.1:1/")
  expect_identical(endpoint_url_for(list(), "us-east-2"), "http://127.0.0.1:1")
  withr::local_envvar(AWS_ENDPOINT_URL_LAMBDA = "http://127.0.0.1:2")
  expect_identical(endpoint_url_for(list(), "us-east-2"), "http://127.0.0.1:2")
  expect_identical(
    endpoint_url_for(list(endpoint = "http://localhost:3"), "us-east-2"),
    "http://localhost:3"
  )
})

test_that("a resolved config has the defaults and prints without secrets", {
  cfg <- resolve_config(list(region = "us-east-1", credentials = list(
    creds = list(access_key_id = "AKID", secret_access_key = "TOPSECRET", session_token = "TOKEN123")
  )), meta)
  expect_identical(cfg$max_attempts, 3L)
  expect_identical(cfg$connect_timeout, 10)
  expect_identical(cfg$read_timeout, 60)
  shown <- paste(capture.output(print(cfg), str(cfg$credentials), print(cfg$credentials)), collapse = "\n")
  expect_match(shown, "AKID")
  expect_false(grepl("TOPSECRET", shown))
  expect_false(grepl("TOKEN123", shown))
  expect_false(grepl("TOPSECRET", format(cfg$credentials)))
})

test_that("a region that is not a region name is refused, wherever it comes from", {
  # The region becomes part of the host name: "x.evil.example/" must never be sent to.
  err <- tryCatch(check_config(list(region = "us-east-1.evil.example/")), error = function(e) e)
  expect_s3_class(err, "paws_config_error")
  expect_match(err$problems, "not a valid region name")
  expect_error(
    resolve_config(list(region = "Us East", credentials = creds), meta),
    class = "paws_config_error"
  )
  dir <- withr::local_tempdir()
  cfg_file <- file.path(dir, "config")
  writeLines(c("[default]", "region = eu-west-1.evil.example"), cfg_file)
  withr::local_envvar(AWS_CONFIG_FILE = cfg_file, AWS_REGION = NA, AWS_DEFAULT_REGION = NA,
                      AWS_PROFILE = NA)
  expect_error(resolve_region(list()), class = "paws_config_error")
  withr::local_envvar(AWS_REGION = "evil.example/x?")
  expect_error(resolve_region(list()), class = "paws_config_error")
})

test_that("an endpoint must be an http(s) URL, from config or the environment", {
  expect_error(check_config(list(endpoint = "lambda.us-east-1.amazonaws.com")),
    class = "paws_config_error"
  )
  withr::local_envvar(AWS_ENDPOINT_URL_LAMBDA = NA, AWS_ENDPOINT_URL = "127.0.0.1:9001")
  expect_error(endpoint_url_for(list(), "us-east-1"), class = "paws_config_error")
})

test_that("China regions get the amazonaws.com.cn domain", {
  withr::local_envvar(AWS_ENDPOINT_URL_LAMBDA = NA, AWS_ENDPOINT_URL = NA)
  expect_identical(
    endpoint_url_for(list(), "cn-north-1"), "https://lambda.cn-north-1.amazonaws.com.cn"
  )
})

test_that("max_attempts must be whole and creds values strings (secrets never shown)", {
  expect_error(check_config(list(max_attempts = 2.5)), class = "paws_config_error")
  err <- tryCatch(
    check_config(list(credentials = list(creds = list(
      access_key_id = "AK", secret_access_key = charToRaw("RAWSECRET")
    )))),
    error = function(e) e
  )
  expect_s3_class(err, "paws_config_error")
  expect_match(conditionMessage(err), "secret_access_key must be a string")
  expect_false(grepl("RAWSECRET|52 41 57", conditionMessage(err)))
})

test_that("paws' creds `expiration` is accepted, as in Python", {
  cfg <- list(region = "us-east-1", credentials = list(creds = list(
    access_key_id = "AK", secret_access_key = "SK", expiration = Sys.time() + 3600
  )))
  expect_identical(check_config(cfg), cfg)
  expect_identical(provider_credentials(resolve_config(cfg, meta)$credentials)$access_key_id, "AK")
})

test_that("a mistyped profile or anonymous flag is an error, not the default profile", {
  expect_error(check_config(list(credentials = list(profile = 1))), class = "paws_config_error")
  expect_error(check_config(list(credentials = list(profile = c("a", "b")))),
    class = "paws_config_error"
  )
  expect_error(check_config(list(credentials = list(anonymous = "yes"))),
    class = "paws_config_error"
  )
  expect_silent(check_config(list(credentials = list(profile = "dev", anonymous = FALSE))))
})

test_that("the endpoint and network config keys are checked", {
  bad <- list(
    list(use_fips_endpoint = "true"), list(use_dualstack_endpoint = 1),
    list(proxy = 3128), list(proxy = "127.0.0.1:3128"),
    list(proxy = list(ftp = "http://127.0.0.1:3128")), list(ca_bundle = "")
  )
  for (config in bad) expect_error(check_config(config), class = "paws_config_error")
  expect_silent(check_config(list(
    use_fips_endpoint = TRUE, use_dualstack_endpoint = FALSE,
    proxy = list(https = "http://127.0.0.1:3128"), ca_bundle = "/x.pem"
  )))
})

test_that("proxy and CA bundle resolve in order: config, environment, profile", {
  dir <- withr::local_tempdir()
  cfg_file <- file.path(dir, "config")
  withr::local_envvar(AWS_CONFIG_FILE = cfg_file, AWS_PROFILE = NA, AWS_CA_BUNDLE = NA)
  base <- list(region = "us-east-1", credentials = list(anonymous = TRUE))
  cfg <- resolve_config(c(base, list(proxy = "http://127.0.0.1:3128")), meta)
  expect_identical(cfg$proxy, list(http = "http://127.0.0.1:3128", https = "http://127.0.0.1:3128"))
  expect_null(cfg$ca_bundle)
  writeLines(c("[default]", "ca_bundle = /from/profile.pem"), cfg_file)
  expect_identical(resolve_config(base, meta)$ca_bundle, "/from/profile.pem")
  withr::local_envvar(AWS_CA_BUNDLE = "/from/env.pem")
  expect_identical(resolve_config(base, meta)$ca_bundle, "/from/env.pem")
  expect_identical(resolve_config(c(base, list(ca_bundle = "/given.pem")), meta)$ca_bundle, "/given.pem")
})

test_that("a resolved config is reused only while its inputs are unchanged", {
  dir <- withr::local_tempdir()
  cfg_file <- file.path(dir, "config")
  withr::local_envvar(
    AWS_CONFIG_FILE = cfg_file, AWS_PROFILE = NA, AWS_MAX_ATTEMPTS = NA, AWS_RETRY_MODE = NA
  )
  resolved_configs$entries <- NULL
  base <- list(region = "us-east-1", credentials = list(anonymous = TRUE))
  first <- resolve_config(base, meta)
  expect_identical(resolve_config(base, meta), first)
  expect_length(resolved_configs$entries, 1L) # the second call reused the first
  withr::local_envvar(AWS_MAX_ATTEMPTS = "7") # the environment changed
  expect_equal(resolve_config(base, meta)$max_attempts, 7)
  expect_length(resolved_configs$entries, 2L)
  withr::local_envvar(AWS_MAX_ATTEMPTS = NA)
  writeLines(c("[default]", "retry_mode = legacy"), cfg_file) # a shared file changed
  expect_identical(resolve_config(base, meta)$retry_mode, "legacy")
  expect_equal(resolve_config(base, meta)$max_attempts, 5)
  eu <- resolve_config(modifyList(base, list(region = "eu-west-1")), meta) # another config
  expect_identical(eu$region, "eu-west-1")
  for (i in 1:10) resolve_config(modifyList(base, list(read_timeout = i)), meta)
  expect_length(resolved_configs$entries, resolved_configs_kept)
})

test_that("the environment's proxies come with the resolved config and follow the environment", {
  withr::local_envvar(
    HTTP_PROXY = NA, http_proxy = NA, HTTPS_PROXY = NA, https_proxy = NA, NO_PROXY = NA,
    no_proxy = NA
  )
  base <- list(region = "us-east-1", credentials = list(anonymous = TRUE))
  url <- "https://lambda.us-east-1.amazonaws.com/x"
  cfg <- resolve_config(base, meta)
  expect_identical(cfg$env_proxies, list())
  expect_null(proxy_for(url, cfg$proxy, cfg$env_proxies))
  withr::local_envvar(HTTPS_PROXY = "127.0.0.1:3128") # a new environment: resolved anew
  cfg <- resolve_config(base, meta)
  expect_identical(cfg$env_proxies, list(https = "127.0.0.1:3128"))
  expect_identical(proxy_for(url, cfg$proxy, cfg$env_proxies), "http://127.0.0.1:3128")
  expect_identical(proxy_for(url, cfg$proxy, cfg$env_proxies), proxy_for(url))
  withr::local_envvar(NO_PROXY = "amazonaws.com")
  cfg <- resolve_config(base, meta)
  expect_null(proxy_for(url, cfg$proxy, cfg$env_proxies))
  # A proxy in the config applies to every host; the environment's is not read.
  cfg <- resolve_config(c(base, list(proxy = "http://10.0.0.1:8080")), meta)
  expect_null(cfg$env_proxies)
  expect_identical(proxy_for(url, cfg$proxy, cfg$env_proxies), "http://10.0.0.1:8080")
})

test_that("the environment is read whole, as Sys.getenv() reads it, and follows each change", {
  withr::local_envvar(PAWS_ENV_PROBE = "a=b c")
  vars <- env_vars()
  expect_identical(vars[sort.list(names(vars))], c(unclass(Sys.getenv())))
  expect_identical(vars[["PAWS_ENV_PROBE"]], "a=b c")
  withr::local_envvar(PAWS_ENV_PROBE = NA)
  expect_false("PAWS_ENV_PROBE" %in% names(env_vars()))
})

test_that("of two spellings of a proxy variable the same one wins, whatever the order given", {
  withr::local_envvar(
    HTTP_PROXY = "upper:1", Http_Proxy = "mixed:2", https_proxy = "lower:3", HTTPS_PROXY = "x:4",
    no_proxy = ""
  )
  vars <- env_vars()
  expect_identical(env_proxies(vars), env_proxies(rev(vars)))
  expect_identical(env_proxies(vars), env_proxies(Sys.getenv()))
  expect_identical(env_proxies(vars)[["https"]], "lower:3")
  expect_null(env_proxies(vars)[["no"]])
})
