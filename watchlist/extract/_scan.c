/* The text scanners of watchlist/extract/spans.py, in C: the words that can be part of a name
   (`name_words`), where sentences can end (`sentences`) and the lower-case words among which
   `WordSpotter` looks for listed surnames.

   Screening reads every character of every article to find them. In Python that takes
   regular expressions and a call into the regex engine per word or full stop found; here it
   is one pass over the characters. spans.py uses these scanners when they are built (with the
   compiled core, see watchlist/compiled.py) and its own Python otherwise; property tests hold
   the two to the same results on any text.

   Name words, by the rules of spans.py. A token is a run of letters and digits (`[^\W_]`, which is
   `str.isalnum`), with apostrophes (' or U+2019) inside it when a letter or digit follows.
   A token is a name word when it opens a name: its first character is an upper-case letter, a
   digit, or a non-ASCII character that is upper-case, a digit, or preceded by a hyphen; or when
   it follows the name word right before it across a joining gap: after a hyphen any token
   does, after " ", " - ", "- ", ". " or "." only a name particle or connector (`inside`) or a
   token opening with a digit or a non-ASCII name character. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* Each scanner is written once over a Text and compiled once per string width: its entry point
   passes a Text whose `kind` is a constant, and every helper is inlined, so that reading a
   character is a plain array read. */
#define INLINE static inline __attribute__((always_inline))

typedef struct {
    int kind;
    const void *data;
    Py_ssize_t length;
} Text;

/* Whether a str could not be made ready to read by kind (before Python 3.12, a str made by the
   legacy API may not be yet; since then every str is, and PyUnicode_READY is deprecated). */
static int not_ready(PyObject *string) {
#if PY_VERSION_HEX < 0x030C0000
    return PyUnicode_READY(string) < 0;
#else
    (void)string;
    return 0;
#endif
}

/* Calls BODY(string, text, ...) with a Text of `string` whose kind is a constant. */
#define BY_KIND(BODY, string, ...)                                                            \
    switch (PyUnicode_KIND(string)) {                                                        \
    case PyUnicode_1BYTE_KIND:                                                               \
        return BODY(string, &(const Text){PyUnicode_1BYTE_KIND, PyUnicode_DATA(string),      \
                                          PyUnicode_GET_LENGTH(string)}, __VA_ARGS__);       \
    case PyUnicode_2BYTE_KIND:                                                               \
        return BODY(string, &(const Text){PyUnicode_2BYTE_KIND, PyUnicode_DATA(string),      \
                                          PyUnicode_GET_LENGTH(string)}, __VA_ARGS__);       \
    default:                                                                                 \
        return BODY(string, &(const Text){PyUnicode_4BYTE_KIND, PyUnicode_DATA(string),      \
                                          PyUnicode_GET_LENGTH(string)}, __VA_ARGS__);       \
    }

INLINE Py_UCS4 at(const Text *text, Py_ssize_t i) {
    return PyUnicode_READ(text->kind, text->data, i);
}

INLINE int is_upper(Py_UCS4 ch) {
    return ch < 128 ? ch >= 'A' && ch <= 'Z' : Py_UNICODE_ISUPPER(ch);
}

INLINE int is_digit(Py_UCS4 ch) {
    return ch < 128 ? ch >= '0' && ch <= '9' : Py_UNICODE_ISDIGIT(ch);
}

INLINE int is_alnum(Py_UCS4 ch) {
    if (ch < 128) {
        return (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z');
    }
    return Py_UNICODE_ISALNUM(ch);
}

INLINE int is_apostrophe(Py_UCS4 ch) { return ch == '\'' || ch == 0x2019; }

/* Where the token starting at `start` ends (not beyond `end`). */
INLINE Py_ssize_t token_end(const Text *text, Py_ssize_t start, Py_ssize_t end) {
    Py_ssize_t i = start + 1;
    for (;;) {
        while (i < end && is_alnum(at(text, i))) {
            i++;
        }
        if (i + 1 < end && is_apostrophe(at(text, i)) && is_alnum(at(text, i + 1))) {
            i += 2;
            continue;
        }
        return i;
    }
}

/* Whether text[start:end] is in `inside`: -1 on error. */
static int is_inside(PyObject *string, Py_ssize_t start, Py_ssize_t end, PyObject *inside) {
    PyObject *word = PyUnicode_Substring(string, start, end);
    if (word == NULL) {
        return -1;
    }
    int found = PySet_Contains(inside, word);
    Py_DECREF(word);
    return found;
}

/* The rest of `_name_like` of spans.py, for a token opening with a character that is neither
   upper-case nor a digit: a hyphen before it, or a particle or connector. The character
   before the token is read as Python's text[start - 1] reads it (the last one at start 0). */
INLINE int name_like_otherwise(const Text *text, PyObject *string, Py_ssize_t start,
                               Py_ssize_t end, PyObject *inside) {
    Py_UCS4 before = at(text, start > 0 ? start - 1 : text->length - 1);
    if (before == '-') {
        return 1;
    }
    return is_inside(string, start, end, inside);
}

/* The gap between two words: 1 for a hyphen, 2 for the other joining gaps, 0 for none. */
INLINE int joining_gap(const Text *text, Py_ssize_t start, Py_ssize_t end) {
    Py_ssize_t size = end - start;
    if (size < 1 || size > 3) {
        return 0;
    }
    Py_UCS4 a = at(text, start);
    if (size == 1) {
        return a == '-' ? 1 : (a == ' ' || a == '.') ? 2 : 0;
    }
    Py_UCS4 b = at(text, start + 1);
    if (size == 2) {
        return ((a == '-' || a == '.') && b == ' ') ? 2 : 0;
    }
    return (a == ' ' && b == '-' && at(text, start + 2) == ' ') ? 2 : 0;
}

/* Appends the pair of offsets (start, end) to the list `found`. */
static int append_pair(PyObject *found, Py_ssize_t start, Py_ssize_t end) {
    PyObject *number = PyLong_FromSsize_t(start);
    if (number == NULL || PyList_Append(found, number) < 0) {
        Py_XDECREF(number);
        return -1;
    }
    Py_DECREF(number);
    number = PyLong_FromSsize_t(end);
    if (number == NULL || PyList_Append(found, number) < 0) {
        Py_XDECREF(number);
        return -1;
    }
    Py_DECREF(number);
    return 0;
}

/* Whether the token text[start:end] is a name word, given where the last one ended
   (`previous`, -1 for none): -1 on error. */
INLINE int is_name_word(const Text *text, PyObject *string, Py_ssize_t start, Py_ssize_t end,
                        Py_ssize_t previous, PyObject *inside) {
    Py_UCS4 first = at(text, start);
    if (is_upper(first) || is_digit(first)) {
        return 1;
    }
    if (first >= 128) {
        return name_like_otherwise(text, string, start, end, inside);
    }
    if (previous < 0) {
        return 0;
    }
    switch (joining_gap(text, previous, start)) {
    case 1:
        return 1;
    case 2:
        return is_inside(string, start, end, inside);
    default:
        return 0;
    }
}

INLINE PyObject *name_words_in(PyObject *string, const Text *text, Py_ssize_t start,
                               Py_ssize_t end, PyObject *inside) {
    /* As a regex's pos and endpos: clipped to the text. */
    if (end > text->length) {
        end = text->length;
    }
    if (start < 0) {
        start = 0;
    }
    PyObject *found = PyList_New(0);
    if (found == NULL) {
        return NULL;
    }
    Py_ssize_t previous = -1;
    Py_ssize_t i = start;
    while (i < end) {
        if (!is_alnum(at(text, i))) {
            i++;
            continue;
        }
        Py_ssize_t stop = token_end(text, i, end);
        int name = is_name_word(text, string, i, stop, previous, inside);
        if (name < 0 || (name && append_pair(found, i, stop) < 0)) {
            Py_DECREF(found);
            return NULL;
        }
        if (name) {
            previous = stop;
        }
        i = stop;
    }
    return found;
}

PyDoc_STRVAR(name_word_offsets_doc,
             "name_word_offsets(text, start, end, inside, /)\n--\n\n"
             "The name words of text[start:end] as offsets [start0, end0, start1, end1, ...]: "
             "what spans.name_words finds (`inside`: the name particles and connectors).");

static PyObject *name_word_offsets(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    (void)module;
    if (nargs != 4) {
        PyErr_Format(PyExc_TypeError, "name_word_offsets expects 4 arguments, got %zd", nargs);
        return NULL;
    }
    PyObject *string = args[0], *inside = args[3];
    if (!PyUnicode_Check(string) || !PyAnySet_Check(inside)) {
        PyErr_SetString(PyExc_TypeError, "name_word_offsets expects a str and a set of words");
        return NULL;
    }
    Py_ssize_t start = PyLong_AsSsize_t(args[1]);
    if (start == -1 && PyErr_Occurred()) {
        return NULL;
    }
    Py_ssize_t end = PyLong_AsSsize_t(args[2]);
    if (end == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (not_ready(string)) {
        return NULL;
    }
    BY_KIND(name_words_in, string, start, end, inside)
}

/* Lower-case words: the tokens that are not name words whatever stands around them (their
   first character is neither upper-case nor a digit, and no hyphen stands before them), at
   least `shortest` characters long. `WordSpotter.spot` looks for listed surnames among them. */

INLINE PyObject *lower_words_in(PyObject *string, const Text *text, Py_ssize_t shortest) {
    (void)string;
    PyObject *found = PyList_New(0);
    if (found == NULL) {
        return NULL;
    }
    Py_ssize_t i = 0;
    while (i < text->length) {
        Py_UCS4 first = at(text, i);
        if (!is_alnum(first)) {
            i++;
            continue;
        }
        Py_ssize_t stop = token_end(text, i, text->length);
        Py_UCS4 before = at(text, i > 0 ? i - 1 : text->length - 1);
        int lower = !is_upper(first) && !is_digit(first) && before != '-';
        if (lower && stop - i >= shortest && append_pair(found, i, stop) < 0) {
            Py_DECREF(found);
            return NULL;
        }
        i = stop;
    }
    return found;
}

PyDoc_STRVAR(lower_word_offsets_doc,
             "lower_word_offsets(text, shortest, /)\n--\n\n"
             "The tokens of text of at least `shortest` characters whose first character is "
             "neither upper-case nor a digit and that no hyphen precedes, as offsets "
             "[start0, end0, start1, end1, ...].");

static PyObject *lower_word_offsets(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    (void)module;
    if (nargs != 2 || !PyUnicode_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "lower_word_offsets expects a str and a length");
        return NULL;
    }
    PyObject *string = args[0];
    Py_ssize_t shortest = PyLong_AsSsize_t(args[1]);
    if (shortest == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (not_ready(string)) {
        return NULL;
    }
    BY_KIND(lower_words_in, string, shortest)
}

/* Sentence ends: what spans._SENTENCE_END matches, tried at each of . ! ? and newline that
   the previous match did not cover: [.!?]+["')\]]*\s+ | \n\s*\n | \n(?=\s*[A-Z"“]). */

INLINE int is_space(Py_UCS4 ch) { return Py_UNICODE_ISSPACE(ch); }

INLINE int is_stop(Py_UCS4 ch) { return ch == '.' || ch == '!' || ch == '?'; }

INLINE int is_closing(Py_UCS4 ch) {
    return ch == '"' || ch == '\'' || ch == ')' || ch == ']';
}

/* Where the sentence end matched at `start` ends, or -1 when none matches there. */
INLINE Py_ssize_t sentence_end(const Text *text, Py_ssize_t start) {
    Py_ssize_t length = text->length, i = start;
    if (is_stop(at(text, start))) {
        while (i < length && is_stop(at(text, i))) {
            i++;
        }
        while (i < length && is_closing(at(text, i))) {
            i++;
        }
        if (i == length || !is_space(at(text, i))) {
            return -1;
        }
        while (i < length && is_space(at(text, i))) {
            i++;
        }
        return i;
    }
    /* A newline: through the last newline of the blank run after it (a blank line), else
       just the newline when a capital or an opening quote follows the blank run. */
    i = start + 1;
    while (i < length && is_space(at(text, i))) {
        i++;
    }
    for (Py_ssize_t last = i - 1; last > start; last--) {
        if (at(text, last) == '\n') {
            return last + 1;
        }
    }
    if (i < length) {
        Py_UCS4 next = at(text, i);
        if ((next >= 'A' && next <= 'Z') || next == '"' || next == 0x201C) {
            return start + 1;
        }
    }
    return -1;
}

INLINE PyObject *sentence_ends_in(PyObject *string, const Text *text, int unused) {
    (void)string;
    (void)unused;
    PyObject *found = PyList_New(0);
    if (found == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < text->length; i++) {
        Py_UCS4 ch = at(text, i);
        if (!is_stop(ch) && ch != '\n') {
            continue;
        }
        Py_ssize_t end = sentence_end(text, i);
        if (end < 0) {
            continue;
        }
        if (append_pair(found, i, end) < 0) {
            Py_DECREF(found);
            return NULL;
        }
        i = end - 1; /* the next mark tried is the first after the match */
    }
    return found;
}

PyDoc_STRVAR(sentence_end_offsets_doc,
             "sentence_end_offsets(text, /)\n--\n\n"
             "Where sentences can end in text, as offsets [mark0, end0, mark1, end1, ...]: each "
             "match of spans._SENTENCE_END that begins at a . ! ? or newline not inside the "
             "previous match.");

static PyObject *sentence_end_offsets(PyObject *module, PyObject *string) {
    (void)module;
    if (!PyUnicode_Check(string)) {
        PyErr_SetString(PyExc_TypeError, "sentence_end_offsets expects a str");
        return NULL;
    }
    if (not_ready(string)) {
        return NULL;
    }
    BY_KIND(sentence_ends_in, string, 0)
}

static PyMethodDef scan_methods[] = {
    {"name_word_offsets", (PyCFunction)(void (*)(void))name_word_offsets, METH_FASTCALL,
     name_word_offsets_doc},
    {"sentence_end_offsets", sentence_end_offsets, METH_O, sentence_end_offsets_doc},
    {"lower_word_offsets", (PyCFunction)(void (*)(void))lower_word_offsets, METH_FASTCALL,
     lower_word_offsets_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef scan_module = {
    PyModuleDef_HEAD_INIT,
    "watchlist.extract._scan",
    "The text scanners of watchlist.extract.spans, in C.",
    -1,
    scan_methods,
    NULL,
    NULL,
    NULL,
    NULL,
};

PyMODINIT_FUNC PyInit__scan(void) { return PyModule_Create(&scan_module); }
