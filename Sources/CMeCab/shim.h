// MeCab's C API (Debian: libmecab-dev), for Japanese word tokenization (sacrebleu's ja-mecab, ROUGE).
#include <mecab.h>
