# Model `pattern` traits (Java/ECMAScript regex syntax) for PCRE (mirrors
# python/pawscore/patterns.py, rule for rule). AWS writes patterns in Java's
# dialect: \uXXXX escapes (UTF-16 surrogate pairs for the supplementary planes),
# \p{L}-style categories, Java's ASCII POSIX classes (\p{Alnum}) and ASCII
# \w \d \s. Each construct becomes one PCRE and Python's `regex` read alike; a
# construct with no such form makes the pattern unsupported (NULL), and both
# runtimes then skip it rather than guess.

# Java's POSIX classes are ASCII-only, as are \w \d \s in Java and in PCRE
# without UCP: code point ranges (two-column matrices), written out in each
# engine's syntax so that both read exactly the same set.
cp_ranges <- function(...) matrix(c(...), ncol = 2L, byrow = TRUE)
pattern_posix <- list(
  Lower = cp_ranges(0x61, 0x7A), Upper = cp_ranges(0x41, 0x5A),
  ASCII = cp_ranges(0x00, 0x7F), Alpha = cp_ranges(0x41, 0x5A, 0x61, 0x7A),
  Digit = cp_ranges(0x30, 0x39), Alnum = cp_ranges(0x30, 0x39, 0x41, 0x5A, 0x61, 0x7A),
  Punct = cp_ranges(0x21, 0x2F, 0x3A, 0x40, 0x5B, 0x60, 0x7B, 0x7E),
  Graph = cp_ranges(0x21, 0x7E), Print = cp_ranges(0x20, 0x7E),
  Blank = cp_ranges(0x09, 0x09, 0x20, 0x20), Cntrl = cp_ranges(0x00, 0x1F, 0x7F, 0x7F),
  XDigit = cp_ranges(0x30, 0x39, 0x41, 0x46, 0x61, 0x66),
  Space = cp_ranges(0x09, 0x0D, 0x20, 0x20)
)
pattern_shorthand <- list(
  w = cp_ranges(0x30, 0x39, 0x41, 0x5A, 0x5F, 0x5F, 0x61, 0x7A),
  d = cp_ranges(0x30, 0x39),
  s = cp_ranges(0x09, 0x0D, 0x20, 0x20)
)
pattern_categories <- strsplit(paste(
  "L Lu Ll Lt Lm Lo M Mn Mc Me N Nd Nl No P Pc Pd Ps Pe Pi Pf Po",
  "S Sm Sc Sk So Z Zs Zl Zp C Cc Cf Cs Co Cn"
), " ")[[1]]
# \A is the start of the input in both engines; the rest are plain characters.
pattern_kept_escapes <- strsplit("tnrfaeA0123456789", "")[[1]]

# The pattern in PCRE syntax, or NULL when it is not supported.
translate_pattern <- function(pattern) {
  tryCatch(pattern_tokens(pattern), pattern_unsupported = function(e) NULL)
}

unsupported_pattern <- function(why) {
  stop(structure(class = c("pattern_unsupported", "error", "condition"),
    list(message = why, call = NULL)))
}

code_point_text <- function(cp) sprintf("\\x{%x}", as.integer(cp))

complement_ranges <- function(ranges) {
  out <- numeric()
  start <- 0
  for (k in seq_len(nrow(ranges))) {
    if (ranges[k, 1] > start) out <- c(out, start, ranges[k, 1] - 1)
    start <- ranges[k, 2] + 1
  }
  if (start <= 0x10FFFF) out <- c(out, start, 0x10FFFF)
  matrix(out, ncol = 2L, byrow = TRUE)
}

# A set of code points: bare items inside a class, a bracketed class outside.
class_text <- function(ranges, negated, in_class) {
  if (negated && in_class) {
    ranges <- complement_ranges(ranges)
    negated <- FALSE
  }
  items <- paste(vapply(seq_len(nrow(ranges)), function(k) {
    lo <- ranges[k, 1]
    hi <- ranges[k, 2]
    if (lo == hi) code_point_text(lo) else paste0(code_point_text(lo), "-", code_point_text(hi))
  }, ""), collapse = "")
  if (in_class) {
    return(items)
  }
  paste0("[", if (negated) "^" else "", items, "]")
}

pattern_tokens <- function(p) {
  chars <- strsplit(p, "")[[1]]
  n <- length(chars)
  out <- character()
  i <- 1L
  in_class <- FALSE
  class_start <- FALSE
  after_quantifier <- FALSE
  after_anchor <- FALSE
  starts <- function(text, at) identical(substr(p, at, at + nchar(text) - 1L), text)
  while (i <= n) {
    c <- chars[i]
    if (c == "\\") {
      if (i == n) unsupported_pattern("trailing backslash")
      is_class <- chars[i + 1L] %in% c("p", "P", "w", "W", "d", "D", "s", "S")
      esc <- pattern_escape(p, chars, i, in_class)
      out <- c(out, esc$text)
      i <- esc$next_i
      if (in_class && is_class && starts("-", i) && !starts("-]", i)) {
        # "-" after a class escape (\p{Z}-_, \w-.) is a literal in Java.
        out <- c(out, "\\-")
        i <- i + 1L
      }
      class_start <- FALSE
      after_quantifier <- FALSE
      after_anchor <- FALSE
      next
    }
    if (in_class) {
      if (c == "]" && !class_start) {
        in_class <- FALSE
      } else if (c == "[" || starts("&&", i)) {
        unsupported_pattern("nested class or class intersection")
      }
      class_start <- FALSE
      out <- c(out, c)
      i <- i + 1L
      next
    }
    if (c == "[") {
      in_class <- TRUE
      class_start <- TRUE
      after_quantifier <- FALSE
      after_anchor <- FALSE
      out <- c(out, c)
      i <- i + 1L
      if (i <= n && chars[i] == "^") {
        out <- c(out, "^")
        i <- i + 1L
      }
      next
    }
    if (c == "{" && after_quantifier && i < n && grepl("[0-9]", chars[i + 1L])) {
      unsupported_pattern("a quantifier on a quantifier")
    }
    end <- quantifier_end(p, chars, i)
    if (end > 0L) {
      if (after_anchor) unsupported_pattern("a quantifier on an anchor")
      out <- c(out, substr(p, i, end - 1L))
      i <- end
      after_quantifier <- TRUE
      next
    }
    after_quantifier <- FALSE
    after_anchor <- c %in% c("^", "$")
    out <- c(out, c)
    i <- i + 1L
  }
  if (in_class) unsupported_pattern("unterminated class")
  paste(out, collapse = "")
}

# Index just past the quantifier at `i` (with a lazy/possessive suffix), or 0.
quantifier_end <- function(p, chars, i) {
  if (chars[i] %in% c("*", "+", "?")) {
    end <- i + 1L
  } else {
    m <- regmatches(substring(p, i), regexpr("^\\{[0-9]+(,[0-9]*)?\\}", substring(p, i)))
    if (!length(m)) {
      return(0L)
    }
    end <- i + nchar(m)
  }
  if (end <= length(chars) && chars[end] %in% c("?", "+")) end <- end + 1L
  end
}

hex4_at <- function(p, i) {
  text <- substr(p, i, i + 3L)
  if (!grepl("^[0-9A-Fa-f]{4}$", text)) unsupported_pattern("bad \\u escape")
  strtoi(text, 16L)
}

pattern_escape <- function(p, chars, i, in_class) {
  c <- chars[i + 1L]
  rest <- substring(p, i + 2L)
  if (c == "u") {
    cp <- hex4_at(p, i + 2L)
    end <- i + 6L
    if (cp >= 0xD800 && cp <= 0xDBFF && identical(substr(p, end, end + 1L), "\\u")) {
      low <- hex4_at(p, end + 2L)
      if (low >= 0xDC00 && low <= 0xDFFF) {
        combined <- 0x10000 + (cp - 0xD800) * 1024 + (low - 0xDC00)
        return(list(text = code_point_text(combined), next_i = end + 6L))
      }
    }
    if (cp >= 0xD800 && cp <= 0xDFFF) unsupported_pattern("lone surrogate")
    return(list(text = code_point_text(cp), next_i = end))
  }
  if (c == "x") {
    hex_re <- "^(?:\\{([0-9A-Fa-f]{1,6})\\}|([0-9A-Fa-f]{2}))"
    m <- regmatches(rest, regexec(hex_re, rest, perl = TRUE))[[1]]
    if (!length(m)) unsupported_pattern("bad \\x escape")
    cp <- strtoi(paste0(m[2], m[3]), 16L)
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) unsupported_pattern("not a code point")
    return(list(text = code_point_text(cp), next_i = i + 2L + nchar(m[1])))
  }
  if (c %in% c("p", "P")) {
    m <- regmatches(rest, regexec("^\\{([A-Za-z0-9_]+)\\}", rest))[[1]]
    if (!length(m)) unsupported_pattern("bad property")
    text <- pattern_property(m[2], negated = c == "P", in_class = in_class)
    return(list(text = text, next_i = i + 2L + nchar(m[1])))
  }
  if (tolower(c) %in% names(pattern_shorthand)) {
    text <- class_text(pattern_shorthand[[tolower(c)]], c != tolower(c), in_class)
    return(list(text = text, next_i = i + 2L))
  }
  if (grepl("^[A-Za-z]$", c) && !c %in% pattern_kept_escapes) {
    unsupported_pattern(paste0("\\", c))
  }
  if (grepl("^[0-9]$", c) && in_class) unsupported_pattern("octal or backreference in a class")
  list(text = paste0("\\", c), next_i = i + 2L)
}

pattern_property <- function(name, negated, in_class) {
  category <- if (startsWith(name, "Is") && substring(name, 3) %in% pattern_categories) {
    substring(name, 3)
  } else {
    name
  }
  if (category %in% pattern_categories) {
    return(sprintf("\\%s{%s}", if (negated) "P" else "p", category))
  }
  if (name %in% names(pattern_posix)) {
    return(class_text(pattern_posix[[name]], negated, in_class))
  }
  unsupported_pattern(paste("property", name))
}

pattern_cache <- new.env(parent = emptyenv())

# The anchored PCRE form of a model pattern, or NA when it is skipped
# (unsupported, or PCRE cannot compile it).
compiled_pattern <- function(pattern) {
  if (!nzchar(pattern)) {
    return("^\\z")
  }
  hit <- pattern_cache[[pattern]]
  if (!is.null(hit)) {
    return(hit)
  }
  translated <- translate_pattern(pattern)
  anchored <- NA_character_
  if (!is.null(translated)) {
    candidate <- paste0("(*UTF)^(?:", translated, ")\\z")
    ok <- tryCatch(
      {
        grepl(candidate, "", perl = TRUE)
        TRUE
      },
      error = function(e) FALSE, warning = function(w) FALSE
    )
    if (ok) anchored <- candidate
  }
  assign(pattern, anchored, envir = pattern_cache)
  anchored
}

# Whether `value` matches all of `pattern`: TRUE/FALSE, or NA when skipped.
pattern_full_match <- function(pattern, value) {
  anchored <- compiled_pattern(pattern)
  if (is.na(anchored)) {
    return(NA)
  }
  res <- tryCatch(grepl(anchored, enc2utf8(value), perl = TRUE), error = function(e) NA)
  as.logical(res)
}
