"""Analyser behaviour on the inputs real data throws at it."""

from yiti.engine.text import Analyser, learn_user_words, normalise

from .shared import analyser

AN = analyser()


def test_full_width_digits_letters_and_case_are_normalised():
    assert normalise("ＡＢＣ　２０２４年５Ｇ通信") == "abc 2024年5g通信"
    assert AN.analyse("５Ｇ通信") == AN.analyse("5g通信")


def test_traditional_characters_are_simplified():
    assert normalise("區塊鏈與經濟發展") == "区块链与经济发展"
    assert AN.analyse("區塊鏈技術") == AN.analyse("区块链技术")


def test_mixed_scripts_keep_latin_words_and_chinese_words_and_bigrams():
    terms = AN.analyse("基于BERT的中文命名实体识别")
    assert "bert" in terms
    assert "命名" in terms and "实体" in terms  # jieba words (and bigrams)
    assert "体识" in terms  # a bigram across a word boundary
    assert not any(" " in t for t in terms)


def test_broken_utf8_tail_is_dropped_not_raised():
    raw = "供应链金融风险".encode()[:-1]  # cut mid-character, as CSL abstracts are
    assert normalise(raw) == "供应链金融风"
    assert "金融" in AN.analyse(raw)
    assert normalise("金融\ufffd") == "金融"
    assert normalise("金融\udcff") == "金融"  # lone surrogate from surrogateescape decoding


def test_empty_and_whitespace_text_give_no_terms():
    for text in ("", "   \n\t", None, "　", "，。！"):
        assert AN.analyse(text) == []


def test_measured_stopwords_are_dropped_but_informative_words_kept():
    terms = AN.analyse("基于区块链的供应链金融研究")
    assert "研究" not in terms and "的" not in terms
    assert "基于" in terms  # measured: it does carry topical signal in CSL/NSSF titles


def test_long_text_is_truncated_deterministically():
    text = "区块链" * 400_000  # 1.2 M characters
    a, b = AN.analyse(text), AN.analyse(text)
    assert a == b
    assert 0 < len(a) <= 2 * 10_000


def test_user_words_learned_from_keywords_are_kept_whole():
    words = learn_user_words([["锂离子电池负极"], "锂离子电池负极；储能", ["储能"]])
    assert words == ["储能", "锂离子电池负极"]
    an = Analyser(user_words=words)
    assert "锂离子电池负极" in an.display_words("新型锂离子电池负极材料")
    assert "锂离子电池负极" not in AN.display_words("新型锂离子电池负极材料")
