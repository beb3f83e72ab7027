/* AWS event-stream framing for R: one .Call per network read decodes every
 * complete frame in the buffer, checks both CRCs and builds the R messages.
 *
 * Failures are returned as data (kind, message, offset) rather than raised
 * with Rf_error, so that the R side can signal a classed condition. */

#include <R.h>
#include <Rinternals.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pawscore.h"

#define PRELUDE_LENGTH 12
#define MIN_FRAME_LENGTH 16
/* The limits botocore applies (and AWS's C library: "current service-side max is 24 MB"). */
#define MAX_HEADERS_LENGTH (128 * 1024)
#define MAX_PAYLOAD_LENGTH (24 * 1024 * 1024)
/* Doubles hold every integer up to 2^53 exactly; beyond that R would round. */
#define MAX_EXACT_INTEGER ((int64_t) 1 << 53)

typedef struct {
  const char *kind; /* NULL while no error */
  char message[400];
  double offset; /* stream offset of the frame at fault */
} es_error;

static void set_error(es_error *err, const char *kind, double offset, const char *fmt, ...) {
  va_list ap;
  err->kind = kind;
  err->offset = offset;
  va_start(ap, fmt);
  vsnprintf(err->message, sizeof(err->message), fmt, ap);
  va_end(ap);
}

static uint32_t be32(const unsigned char *p) {
  return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 | (uint32_t) p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; i++) v = v << 8 | p[i];
  return (int64_t) v;
}

/* Strict UTF-8: no overlong forms, surrogates or code points past U+10FFFF,
 * the same rule as Python's decoder so both sides reject the same bytes. */
static int valid_utf8(const unsigned char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    size_t len;
    uint32_t cp, min;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2; cp = c & 0x1F; min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3; cp = c & 0x0F; min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4; cp = c & 0x07; min = 0x10000;
    } else {
      return 0;
    }
    if (i + len > n) return 0;
    for (size_t k = 1; k < len; k++) {
      if ((s[i + k] & 0xC0) != 0x80) return 0;
      cp = cp << 6 | (s[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    i += len;
  }
  return 1;
}

static const char *type_name(int tag) {
  static const char *names[] = {"bool true", "bool false", "byte", "short", "integer",
                                "long", "byte array", "string", "timestamp", "uuid"};
  return names[tag];
}

/* Header names for messages: printable and bounded, for error text only. */
static void quote_name(char *out, size_t size, const unsigned char *name, size_t len) {
  size_t j = 0;
  for (size_t i = 0; i < len && j + 5 < size; i++) {
    unsigned char c = name[i];
    if (c >= 0x20 && c < 0x7F && c != '\'') {
      out[j++] = (char) c;
    } else {
      j += (size_t) snprintf(out + j, size - j, "\\x%02x", c);
    }
  }
  out[j] = '\0';
}

typedef struct {
  const unsigned char *name;
  size_t name_len;
  int tag;
  const unsigned char *value;
  size_t value_len;
} es_header;

static unsigned hash_name(const unsigned char *s, size_t n) {
  unsigned h = 2166136261u; /* FNV-1a */
  for (size_t i = 0; i < n; i++) h = (h ^ s[i]) * 16777619u;
  return h;
}

/* Pass 1 over a header block: split it into headers and reject what no
 * decoder may accept.  Checks run in the same order as the Python decoder so
 * both report the same failure for the same bytes.  Values R cannot hold are
 * not errors here: header_value() keeps them as "es_unreadable" objects. */
static int scan_headers(const unsigned char *block, size_t len, double frame_offset,
                        es_header **out, int *count, es_error *err) {
  /* Each header takes at least 3 bytes (name length, 1-byte name, type). */
  size_t cap = len / 3 + 1;
  es_header *hs = (es_header *) R_alloc(cap, sizeof(es_header));
  size_t slots = 16;
  while (slots < cap * 2) slots <<= 1;
  int *table = (int *) R_alloc(slots, sizeof(int));
  memset(table, -1, slots * sizeof(int));
  char quoted[200];
  int n = 0;
  size_t pos = 0;
  while (pos < len) {
    size_t start = pos;
    size_t name_len = block[pos++];
    if (name_len == 0) {
      set_error(err, "InvalidFrame", frame_offset,
                "header name of length 0 (header at frame byte %zu)", PRELUDE_LENGTH + start);
      return 0;
    }
    if (pos + name_len + 1 > len) {
      set_error(err, "InvalidFrame", frame_offset,
                "header at frame byte %zu runs past the header block", PRELUDE_LENGTH + start);
      return 0;
    }
    const unsigned char *name = block + pos;
    if (!valid_utf8(name, name_len)) {
      set_error(err, "InvalidFrame", frame_offset,
                "header name at frame byte %zu is not UTF-8", PRELUDE_LENGTH + start);
      return 0;
    }
    if (memchr(name, 0, name_len) != NULL) {
      set_error(err, "InvalidFrame", frame_offset,
                "header name at frame byte %zu contains a NUL byte", PRELUDE_LENGTH + start);
      return 0;
    }
    quote_name(quoted, sizeof(quoted), name, name_len);
    pos += name_len;
    int tag = block[pos++];
    const unsigned char *value = block + pos;
    size_t value_len = 0;
    if (tag == 0 || tag == 1) {
      value_len = 0;
    } else if (tag == 6 || tag == 7) {
      if (pos + 2 > len) goto short_value;
      value_len = (size_t) block[pos] << 8 | block[pos + 1];
      pos += 2;
      value = block + pos;
      if (pos + value_len > len) goto short_value;
      if (tag == 7 && !valid_utf8(value, value_len)) {
        set_error(err, "InvalidFrame", frame_offset,
                  "header '%s' string value is not UTF-8", quoted);
        return 0;
      }
    } else if (tag >= 2 && tag <= 5) {
      value_len = (size_t) 1 << (tag - 2);
    } else if (tag == 8) {
      value_len = 8;
    } else if (tag == 9) {
      value_len = 16;
    } else {
      set_error(err, "InvalidHeaderType", frame_offset,
                "header '%s' has unknown value type %d", quoted, tag);
      return 0;
    }
    if (pos + value_len > len) goto short_value;
    pos += value_len;
    unsigned slot = hash_name(name, name_len) & (unsigned) (slots - 1);
    while (table[slot] >= 0) {
      es_header *other = &hs[table[slot]];
      if (other->name_len == name_len && memcmp(other->name, name, name_len) == 0) {
        set_error(err, "InvalidFrame", frame_offset, "duplicate header name '%s'", quoted);
        return 0;
      }
      slot = (slot + 1) & (unsigned) (slots - 1);
    }
    table[slot] = n;
    hs[n].name = name;
    hs[n].name_len = name_len;
    hs[n].tag = tag;
    hs[n].value = value;
    hs[n].value_len = value_len;
    n++;
    continue;
  short_value:
    set_error(err, "InvalidFrame", frame_offset,
              "header '%s' value runs past the header block", quoted);
    return 0;
  }
  *out = hs;
  *count = n;
  return 1;
}

static SEXP posixct(double seconds) {
  SEXP x = PROTECT(Rf_ScalarReal(seconds));
  SEXP cls = PROTECT(Rf_allocVector(STRSXP, 2));
  SET_STRING_ELT(cls, 0, Rf_mkChar("POSIXct"));
  SET_STRING_ELT(cls, 1, Rf_mkChar("POSIXt"));
  Rf_setAttrib(x, R_ClassSymbol, cls);
  Rf_setAttrib(x, Rf_install("tzone"), Rf_mkString("UTC"));
  UNPROTECT(2);
  return x;
}

static SEXP uuid_string(const unsigned char *b) {
  static const char hex[] = "0123456789abcdef";
  char s[37];
  int j = 0;
  for (int i = 0; i < 16; i++) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s[j++] = '-';
    s[j++] = hex[b[i] >> 4];
    s[j++] = hex[b[i] & 0x0F];
  }
  s[36] = '\0';
  return Rf_ScalarString(Rf_mkCharLenCE(s, 36, CE_UTF8));
}

/* A value R cannot hold exactly, kept losslessly as its wire bytes:
 * list(type, raw, reason) of class "es_unreadable".  Decoding never fails on
 * it; the event layer raises HeaderValueOutOfRange only if the model reads it. */
static SEXP unreadable(const es_header *h, const char *reason) {
  SEXP out = PROTECT(Rf_allocVector(VECSXP, 3));
  SET_VECTOR_ELT(out, 0, Rf_mkString(type_name(h->tag)));
  SEXP raw = Rf_allocVector(RAWSXP, (R_xlen_t) h->value_len);
  SET_VECTOR_ELT(out, 1, raw);
  if (h->value_len) memcpy(RAW(raw), h->value, h->value_len);
  SET_VECTOR_ELT(out, 2, Rf_mkString(reason));
  SEXP names = PROTECT(Rf_allocVector(STRSXP, 3));
  SET_STRING_ELT(names, 0, Rf_mkChar("type"));
  SET_STRING_ELT(names, 1, Rf_mkChar("raw"));
  SET_STRING_ELT(names, 2, Rf_mkChar("reason"));
  Rf_setAttrib(out, R_NamesSymbol, names);
  Rf_setAttrib(out, R_ClassSymbol, Rf_mkString("es_unreadable"));
  UNPROTECT(2);
  return out;
}

/* Why R cannot hold this value exactly, or NULL when it can. */
static const char *unreadable_reason(const es_header *h, char *buf, size_t size) {
  if (h->tag == 4 && (int32_t) be32(h->value) == INT32_MIN) {
    return "integer -2147483648 is NA in R";
  }
  if (h->tag == 5 || h->tag == 8) {
    int64_t v = be64(h->value);
    /* Compared as integers: 2^53 + 1 would round to 2^53 as a double. */
    if (v > MAX_EXACT_INTEGER || v < -MAX_EXACT_INTEGER) {
      snprintf(buf, size, "%s %lld is beyond +-2^53 and cannot be exact in R",
               type_name(h->tag), (long long) v);
      return buf;
    }
  }
  if (h->tag == 7 && memchr(h->value, 0, h->value_len) != NULL) {
    return "string contains a NUL byte, which R strings cannot hold";
  }
  return NULL;
}

static SEXP header_value(const es_header *h) {
  const unsigned char *v = h->value;
  char buf[120];
  const char *reason = unreadable_reason(h, buf, sizeof(buf));
  if (reason != NULL) return unreadable(h, reason);
  switch (h->tag) {
  case 0: return Rf_ScalarLogical(1);
  case 1: return Rf_ScalarLogical(0);
  case 2: return Rf_ScalarInteger((int8_t) v[0]);
  case 3: return Rf_ScalarInteger((int16_t) (v[0] << 8 | v[1]));
  case 4: return Rf_ScalarInteger((int32_t) be32(v));
  case 5: return Rf_ScalarReal((double) be64(v));
  case 6: {
    SEXP raw = Rf_allocVector(RAWSXP, (R_xlen_t) h->value_len);
    if (h->value_len) memcpy(RAW(raw), v, h->value_len);
    return raw;
  }
  case 7: return Rf_ScalarString(Rf_mkCharLenCE((const char *) v, (int) h->value_len, CE_UTF8));
  case 8: return posixct((double) be64(v) / 1000.0);
  default: return uuid_string(v);
  }
}

/* Named list of header values, or R_NilValue with *err set. */
static SEXP build_headers(const unsigned char *block, size_t len, double frame_offset,
                          es_error *err) {
  es_header *hs = NULL;
  int n = 0;
  if (len > 0 && !scan_headers(block, len, frame_offset, &hs, &n, err)) return R_NilValue;
  SEXP out = PROTECT(Rf_allocVector(VECSXP, n));
  SEXP names = PROTECT(Rf_allocVector(STRSXP, n));
  for (int i = 0; i < n; i++) {
    SET_STRING_ELT(names, i, Rf_mkCharLenCE((const char *) hs[i].name, (int) hs[i].name_len,
                                            CE_UTF8));
    SET_VECTOR_ELT(out, i, header_value(&hs[i]));
  }
  Rf_setAttrib(out, R_NamesSymbol, names);
  UNPROTECT(2);
  return out;
}

/* Validate a prelude at p; return the frame's total length, or 0 with *err set. */
static uint32_t check_prelude(const unsigned char *p, double offset, es_error *err) {
  uint32_t total = be32(p);
  uint32_t headers_len = be32(p + 4);
  uint32_t expected = be32(p + 8);
  uint32_t actual = pawscore_crc32(0, p, 8);
  if (actual != expected) {
    set_error(err, "ChecksumMismatch", offset,
              "prelude CRC mismatch (expected 0x%08x, computed 0x%08x)", expected, actual);
    return 0;
  }
  if (total < MIN_FRAME_LENGTH) {
    set_error(err, "InvalidFrame", offset, "frame total length %u is below the %d-byte minimum",
              total, MIN_FRAME_LENGTH);
    return 0;
  }
  if (headers_len > total - MIN_FRAME_LENGTH) {
    set_error(err, "InvalidFrame", offset,
              "headers length %u exceeds the frame (total length %u)", headers_len, total);
    return 0;
  }
  if (headers_len > MAX_HEADERS_LENGTH) {
    set_error(err, "InvalidFrame", offset, "headers length %u exceeds the %d-byte limit",
              headers_len, MAX_HEADERS_LENGTH);
    return 0;
  }
  if (total - headers_len - MIN_FRAME_LENGTH > MAX_PAYLOAD_LENGTH) {
    set_error(err, "InvalidFrame", offset, "payload length %u exceeds the %d-byte limit",
              total - headers_len - MIN_FRAME_LENGTH, MAX_PAYLOAD_LENGTH);
    return 0;
  }
  return total;
}

/* Messages decoded in one call, and the header block they last shared.
 * With an event plan, each frame C can answer becomes its event at once; the
 * others stay messages, listed in `slow` for R's message_to_event(). */
typedef struct {
  SEXP messages;
  R_xlen_t count;
  SEXP msg_names;
  const unsigned char *last_block;
  size_t last_len;
  SEXP last_headers;
  PROTECT_INDEX hidx;
  pawscore_event_plan *plan; /* NULL: messages only */
  int slicing;               /* payloads may be slices of the reads (slices.c) */
  int *slow;
  R_xlen_t n_slow;
} builder;

/* Append the message (or its event); `payload` must be protected by the caller. */
static int add_message(builder *b, const unsigned char *block, size_t headers_len,
                       double frame_offset, SEXP payload, es_error *err) {
  /* Frames of one stream nearly always repeat the same header block: build
   * its R value once and share it (copy-on-modify keeps the sharing safe). */
  if (b->last_block == NULL || headers_len != b->last_len ||
      memcmp(block, b->last_block, headers_len) != 0) {
    SEXP h = build_headers(block, headers_len, frame_offset, err);
    if (err->kind != NULL) return 0;
    REPROTECT(b->last_headers = h, b->hidx);
    MARK_NOT_MUTABLE(b->last_headers);
    b->last_block = block;
    b->last_len = headers_len;
  }
  if (b->count >= XLENGTH(b->messages)) Rf_error("internal error: too many frames");
  if (b->plan != NULL) {
    SEXP event = pawscore_event_from(b->plan, b->last_headers, payload);
    if (event != R_NilValue) {
      SET_VECTOR_ELT(b->messages, b->count++, event);
      return 1;
    }
    b->slow[b->n_slow++] = (int) (b->count + 1);
  }
  SEXP msg = PROTECT(Rf_allocVector(VECSXP, 2));
  SET_VECTOR_ELT(msg, 0, b->last_headers);
  SET_VECTOR_ELT(msg, 1, payload);
  Rf_setAttrib(msg, R_NamesSymbol, b->msg_names);
  SET_VECTOR_ELT(b->messages, b->count++, msg);
  UNPROTECT(1);
  return 1;
}

/* The reads holding the pending bytes, seen as one buffer without joining
 * them, and a position in it (piece `i`, byte `off` of that piece). */
typedef struct {
  int n;
  SEXP *vec;
  const unsigned char **ptr;
  size_t *len;
  size_t total;
} pieces;

typedef struct {
  int i;
  size_t off;
} cursor;

/* Move past the end of exhausted (or empty) pieces. */
static cursor cursor_norm(const pieces *p, cursor c) {
  while (c.i < p->n && c.off >= p->len[c.i]) {
    c.off -= p->len[c.i];
    c.i++;
  }
  return c;
}

static cursor cursor_skip(const pieces *p, cursor c, size_t len) {
  c.off += len;
  return cursor_norm(p, c);
}

static void pieces_copy(const pieces *p, cursor c, size_t len, unsigned char *dest) {
  for (int i = c.i; i < p->n && len > 0; i++) {
    size_t from = i == c.i ? c.off : 0;
    size_t take = p->len[i] - from < len ? p->len[i] - from : len;
    memcpy(dest, p->ptr[i] + from, take);
    dest += take;
    len -= take;
  }
}

static uint32_t pieces_crc(const pieces *p, cursor c, size_t len) {
  uint32_t crc = 0;
  for (int i = c.i; i < p->n && len > 0; i++) {
    size_t from = i == c.i ? c.off : 0;
    size_t take = p->len[i] - from < len ? p->len[i] - from : len;
    crc = pawscore_crc32(crc, p->ptr[i] + from, take);
    len -= take;
  }
  return crc;
}

/* Complete frames in the buffer, without checking them (to size the list). */
static R_xlen_t count_frames(const pieces *p) {
  R_xlen_t frames = 0;
  cursor c = cursor_norm(p, (cursor){0, 0});
  for (size_t pos = 0; p->total - pos >= PRELUDE_LENGTH;) {
    unsigned char head[4];
    pieces_copy(p, c, 4, head);
    uint32_t total = be32(head);
    if (total < MIN_FRAME_LENGTH || total > p->total - pos) break;
    pos += total;
    c = cursor_skip(p, c, total);
    frames++;
  }
  return frames;
}

/* Decode the complete frames of the buffer (stream offset `base`); return
 * the bytes consumed and set *need for the partial frame after them.  A frame
 * inside one read is decoded in place; one split across reads is decoded from
 * the pieces, copying only its header block and payload. */
static size_t decode_frames(builder *b, const pieces *p, double base, double *need,
                            cursor *at, es_error *err) {
  size_t pos = 0;
  cursor c = cursor_norm(p, (cursor){0, 0});
  *need = PRELUDE_LENGTH;
  while (p->total - pos >= PRELUDE_LENGTH) {
    double frame_offset = base + (double) pos;
    size_t here = p->len[c.i] - c.off;
    const unsigned char *frame = p->ptr[c.i] + c.off;
    unsigned char head[PRELUDE_LENGTH];
    if (here < PRELUDE_LENGTH) {
      pieces_copy(p, c, PRELUDE_LENGTH, head);
      frame = head;
    }
    uint32_t total = check_prelude(frame, frame_offset, err);
    if (total == 0) break;
    if (total > p->total - pos) {
      *need = total;
      break;
    }
    size_t headers_len = be32(frame + 4);
    size_t payload_len = total - PRELUDE_LENGTH - headers_len - 4;
    uint32_t expected, actual;
    const unsigned char *block;
    SEXP payload;
    if (here >= total) {
      expected = be32(frame + total - 4);
      actual = pawscore_crc32(0, frame, total - 4);
      if (actual != expected) goto bad_crc;
      block = frame + PRELUDE_LENGTH;
      if (b->slicing && payload_len > SLICE_MIN_BYTES && !ALTREP(p->vec[c.i])) {
        size_t at = (size_t) (block + headers_len - p->ptr[c.i]);
        payload = PROTECT(pawscore_slice(p->vec[c.i], at, payload_len));
      } else {
        payload = PROTECT(Rf_allocVector(RAWSXP, (R_xlen_t) payload_len));
        if (payload_len) memcpy(RAW(payload), block + headers_len, payload_len);
      }
    } else {
      unsigned char tail[4];
      pieces_copy(p, cursor_skip(p, c, total - 4), 4, tail);
      expected = be32(tail);
      actual = pieces_crc(p, c, total - 4);
      if (actual != expected) goto bad_crc;
      unsigned char *copy = (unsigned char *) R_alloc(headers_len + 1, 1);
      pieces_copy(p, cursor_skip(p, c, PRELUDE_LENGTH), headers_len, copy);
      block = copy;
      payload = PROTECT(Rf_allocVector(RAWSXP, (R_xlen_t) payload_len));
      pieces_copy(p, cursor_skip(p, c, PRELUDE_LENGTH + headers_len), payload_len,
                  RAW(payload));
    }
    int ok = add_message(b, block, headers_len, frame_offset, payload, err);
    UNPROTECT(1);
    if (!ok) break;
    pos += total;
    c = cursor_skip(p, c, total);
    continue;
  bad_crc:
    set_error(err, "ChecksumMismatch", frame_offset,
              "message CRC mismatch (expected 0x%08x, computed 0x%08x)", expected, actual);
    break;
  }
  *at = c;
  return pos;
}

/* CRC-32 of a raw vector, as a double; `tables` forces the portable path
 * (so tests can check both paths against each other). */
SEXP pawscore_es_crc32(SEXP buf, SEXP tables) {
  if (TYPEOF(buf) != RAWSXP) Rf_error("`buf` must be a raw vector");
  uint32_t crc = pawscore_crc32_with(0, RAW(buf), (size_t) XLENGTH(buf), Rf_asLogical(tables) == 1);
  return Rf_ScalarReal((double) crc);
}

/* Decode all complete frames in `parts` (a list of raw vectors: the reads
 * since the last call, oldest first), whose first byte is at stream offset
 * `offset`.  Returns list(messages, consumed, need, rest, error, slow):
 * `rest` is a copy of the unconsumed tail (the start of at most one frame),
 * `need` the bytes that partial frame needs in all (12 while its prelude is
 * incomplete).  With `plan` (see events.c; NULL for none) the messages C can
 * turn into events are returned as events, and `slow` lists (1-based) the
 * positions still holding a message for R; without, `slow` is empty. */
SEXP pawscore_es_decode_events(SEXP parts, SEXP offset_, SEXP plan) {
  if (TYPEOF(parts) != VECSXP) Rf_error("`parts` must be a list of raw vectors");
  pieces p;
  p.n = (int) XLENGTH(parts);
  p.vec = (SEXP *) R_alloc((size_t) p.n + 1, sizeof(SEXP));
  p.ptr = (const unsigned char **) R_alloc((size_t) p.n + 1, sizeof(unsigned char *));
  p.len = (size_t *) R_alloc((size_t) p.n + 1, sizeof(size_t));
  p.total = 0;
  for (int i = 0; i < p.n; i++) {
    SEXP part = VECTOR_ELT(parts, i);
    if (TYPEOF(part) != RAWSXP) Rf_error("`parts` must be a list of raw vectors");
    p.vec[i] = part;
    p.ptr[i] = RAW(part);
    p.len[i] = (size_t) XLENGTH(part);
    p.total += p.len[i];
  }
  double base = Rf_asReal(offset_);
  es_error err = {NULL, "", 0};
  double need = PRELUDE_LENGTH;
  int nprot = 0;

  pawscore_event_plan events_plan;
  builder b;
  b.plan = NULL;
  /* Only the response sink passes a plan, and its reads are its own. */
  b.slicing = plan != R_NilValue;
  if (plan != R_NilValue) {
    pawscore_event_plan_init(&events_plan, plan);
    nprot++;
    b.plan = &events_plan;
  }
  SEXP msg_names = PROTECT(Rf_allocVector(STRSXP, 2));
  nprot++;
  SET_STRING_ELT(msg_names, 0, Rf_mkChar("headers"));
  SET_STRING_ELT(msg_names, 1, Rf_mkChar("payload"));
  MARK_NOT_MUTABLE(msg_names);
  R_xlen_t frames = count_frames(&p);
  b.messages = PROTECT(Rf_allocVector(VECSXP, frames));
  nprot++;
  b.count = 0;
  b.msg_names = msg_names;
  b.last_block = NULL;
  b.last_len = 0;
  b.last_headers = R_NilValue;
  PROTECT_WITH_INDEX(b.last_headers, &b.hidx);
  nprot++;
  b.slow = (int *) R_alloc((size_t) frames + 1, sizeof(int));
  b.n_slow = 0;

  cursor at;
  size_t consumed = decode_frames(&b, &p, base, &need, &at, &err);
  SEXP messages = b.messages;
  if (b.count < XLENGTH(messages)) messages = Rf_xlengthgets(messages, b.count);
  PROTECT(messages);
  nprot++;

  size_t rest_len = err.kind ? 0 : p.total - consumed;
  SEXP rest = PROTECT(Rf_allocVector(RAWSXP, (R_xlen_t) rest_len));
  nprot++;
  if (rest_len) pieces_copy(&p, at, rest_len, RAW(rest));

  SEXP error = R_NilValue;
  if (err.kind != NULL) {
    error = PROTECT(Rf_allocVector(VECSXP, 3));
    SET_VECTOR_ELT(error, 0, Rf_mkString(err.kind));
    SET_VECTOR_ELT(error, 1, Rf_mkString(err.message));
    SET_VECTOR_ELT(error, 2, Rf_ScalarReal(err.offset));
    UNPROTECT(1);
  }
  PROTECT(error);
  nprot++;
  SEXP slow = PROTECT(Rf_allocVector(INTSXP, b.n_slow));
  nprot++;
  if (b.n_slow) memcpy(INTEGER(slow), b.slow, (size_t) b.n_slow * sizeof(int));

  SEXP out = PROTECT(Rf_allocVector(VECSXP, 6));
  nprot++;
  SET_VECTOR_ELT(out, 0, messages);
  SET_VECTOR_ELT(out, 1, Rf_ScalarReal((double) consumed));
  SET_VECTOR_ELT(out, 2, Rf_ScalarReal(need));
  SET_VECTOR_ELT(out, 3, rest);
  SET_VECTOR_ELT(out, 4, error);
  SET_VECTOR_ELT(out, 5, slow);
  SEXP names = PROTECT(Rf_allocVector(STRSXP, 6));
  nprot++;
  const char *labels[] = {"messages", "consumed", "need", "rest", "error", "slow"};
  for (int i = 0; i < 6; i++) SET_STRING_ELT(names, i, Rf_mkChar(labels[i]));
  Rf_setAttrib(out, R_NamesSymbol, names);
  UNPROTECT(nprot);
  return out;
}

/* The decoder without events (es_decoder()'s own messages). */
SEXP pawscore_es_decode(SEXP parts, SEXP offset) {
  return pawscore_es_decode_events(parts, offset, R_NilValue);
}
