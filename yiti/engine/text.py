"""Text analysis for Chinese with some English: normalise, segment, bigram, drop stopwords.

Tokens are jieba words plus character bigrams of CJK runs (bigrams catch words jieba splits
differently in query and document) plus latin/digit words.  Words and bigrams share one
namespace on purpose: a two-character word that is also a bigram counts twice, which weights
whole words above accidental bigrams.
"""

from __future__ import annotations

import os
import re
import threading
import unicodedata
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

import jieba

jieba.setLogLevel(60)

#: A query or field longer than this (in characters) is cut; deterministic, so a 1 MB query
#: costs the same as a 10 000-character one and always gives the same tokens.
MAX_CHARS = 10_000

# Common traditional characters → simplified.  Only the frequent ones: a full OpenCC table is
# not worth a dependency for titles that are almost always already simplified.
_T2S_PAIRS = (
    "國国 學学 會会 經经 濟济 發发 展展 與与 業业 術术 資资 產产 權权 環环 現现 電电 腦脑 網网 絡络 數数 據据"
    " 計计 機机 語语 體体 區区 號号 鐵铁 車车 門门 開开 關关 東东 陽阳 來来 時时 長长 書书 認认 論论 議议 說说"
    " 讀读 寫写 聽听 見见 觀观 覽览 視视 親亲 記记 設设 訊讯 請请 調调 質质 實实 驗验 證证 醫医 藥药 療疗 衛卫"
    " 護护 農农 漁渔 銷销 貿贸 價价 錢钱 銀银 財财 稅税 費费 險险 務务 勞劳 動动 職职 員员 聯联 繫系 統统 營营"
    " 運运 輸输 傳传 遞递 達达 進进 過过 還还 這这 個个 們们 為为 於于 從从 對对 應应 當当 該该 總总 結结 構构"
    " 係系 廣广 場场 島岛 灣湾 億亿 萬万 縣县 鄉乡 鎮镇 隊队 戰战 爭争 軍军 紀纪 錄录 歷历 義义 藝艺 樂乐 劇剧"
    " 節节 雜杂 誌志 報报 導导 專专 題题 類类 項项 標标 準准 規规 範范 則则 條条 積积 極极 選选 擇择 變变 換换"
    " 轉转 態态 際际 間间 問问 題题 傳传 統统 點点 線线 軟软 硬硬 務务 區区 塊块 鏈链 設设 備备 製制 造造 鋼钢"
    " 礦矿 煉炼 燈灯 熱热 氣气 風风 雲云 邊边 遠远 近近 華华 漢汉 愛爱 歲岁 紅红 綠绿 藍蓝 黃黄 魚鱼 鳥鸟 馬马"
    " 龍龙 齊齐 錯错 難难 嚴严 優优 勢势 獎奖 勵励 創创 新新 辦办 處处 縮缩 師师 夠够 壓压 擴扩 廠厂 圖图 畫画"
    " 樣样 檢检 測测 試试 驅驱 決决 復复 雙双 壞坏 響响 聲声 碼码 網网 頁页 顯显 極极 儀仪 構构 態态 護护 衛卫"
)
_T2S = str.maketrans({p[0]: p[1] for p in _T2S_PAIRS.split() if p[0] != p[1]})

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"[{_CJK}]+|[a-z0-9]+(?:[.+#][a-z0-9]+)*")
_CJK_RUN = re.compile(rf"[{_CJK}]+")
_WORDLIKE = re.compile(rf"^[{_CJK}a-z0-9][{_CJK}a-z0-9.+#]*$")
_SPACES = re.compile(r"\s+")


def _default_stopwords() -> frozenset[str]:
    text = resources.files("yiti.engine").joinpath("data/stopwords.txt").read_text(encoding="utf-8")
    words = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return frozenset(w for w in words if w)


def normalise(text: str | bytes | None, max_chars: int = MAX_CHARS) -> str:
    """NFKC (full-width → half-width), lower case, common traditional → simplified, one space.

    Bytes are decoded leniently: CSL abstracts are cut mid-character, so a broken UTF-8 tail
    is dropped rather than raising.  The text is cut to ``max_chars`` first so cost is bounded.
    """
    if text is None:
        return ""
    if isinstance(text, bytes):
        text = text[: max_chars * 4].decode("utf-8", errors="ignore")
    text = text[:max_chars]
    text = text.replace("\ufffd", " ")
    text = unicodedata.normalize("NFKC", text).lower().translate(_T2S)
    # Lone surrogates (from a badly decoded tail) cannot be encoded later: drop them.
    text = text.encode("utf-8", errors="ignore").decode("utf-8")
    return _SPACES.sub(" ", text).strip()


class Analyser:
    """Turns text into index terms.  Own jieba tokenizer, so user words never leak globally.

    ``user_words`` extends jieba's dictionary (learned from the keywords found in the data);
    ``stopwords`` defaults to the measured list in ``data/stopwords.txt``.
    """

    def __init__(
        self,
        user_words: Iterable[str] = (),
        stopwords: Iterable[str] | None = None,
        bigrams: bool = True,
        words: bool = True,
    ) -> None:
        self.user_words: list[str] = sorted({normalise(w) for w in user_words if normalise(w)})
        self.stopwords: frozenset[str] = (
            _default_stopwords() if stopwords is None else frozenset(normalise(w) for w in stopwords)
        )
        self.bigrams = bigrams
        self.words = words
        self._tokenizer: jieba.Tokenizer | None = None
        self._lock = threading.Lock()

    # jieba's first use loads a 5 MB dictionary (~0.5 s): do it once, lazily.
    @property
    def tokenizer(self) -> jieba.Tokenizer:
        if self._tokenizer is None:
            with self._lock:
                if self._tokenizer is None:
                    tok = jieba.Tokenizer()
                    tok.initialize()
                    for w in self.user_words:
                        if len(w) >= 2:
                            tok.add_word(w, freq=max(tok.suggest_freq(w), 50))
                    self._tokenizer = tok
        return self._tokenizer

    def __getstate__(self) -> dict[str, object]:
        state = self.__dict__.copy()
        state["_tokenizer"] = None
        state["_lock"] = None
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def words_of(self, text: str) -> list[str]:
        """jieba words of already normalised text, without punctuation and stopwords."""
        out: list[str] = []
        for w in self.tokenizer.lcut(text, HMM=False):
            w = w.strip()
            if w and w not in self.stopwords and _WORDLIKE.match(w):
                out.append(w)
        return out

    def analyse(self, text: str | bytes | None) -> list[str]:
        """Index terms of ``text`` (in order, with repeats)."""
        norm = normalise(text)
        if not norm:
            return []
        stop = self.stopwords
        terms: list[str] = []
        if self.words:
            terms.extend(self.words_of(norm))
        else:
            terms.extend(m.group() for m in _RUN.finditer(norm) if not _CJK_RUN.fullmatch(m.group()))
        if self.bigrams:
            for run in _CJK_RUN.findall(norm):
                if len(run) == 1:
                    if not self.words and run not in stop:
                        terms.append(run)
                    continue
                terms.extend(b for b in (run[i : i + 2] for i in range(len(run) - 1)) if b not in stop)
        return terms

    def display_words(self, text: str | bytes | None) -> list[str]:
        """Whole words (no bigrams) for explanations shown to people."""
        return self.words_of(normalise(text))


def learn_user_words(keyword_lists: Iterable[Iterable[str] | str], min_count: int = 2) -> list[str]:
    """Keywords that occur at least ``min_count`` times in the data become jieba user words.

    A keyword seen once may be a typo; one seen twice is a term of the domain.  Keywords given
    as one string are split on the usual separators (，;、 and spaces).
    """
    counts: dict[str, int] = {}
    for kws in keyword_lists:
        items = re.split(r"[,;，；、\s]+", kws) if isinstance(kws, str) else kws
        for kw in items:
            k = normalise(kw)
            if 2 <= len(k) <= 12 and _CJK_RUN.search(k):
                counts[k] = counts.get(k, 0) + 1
    return sorted(k for k, c in counts.items() if c >= min_count)


def shared_data_dir() -> Path:
    """The read-only real data (``YITI_SHARED_DATA`` or ``<repo>/../shared/data``)."""
    repo = Path(__file__).resolve().parents[2]
    return Path(os.environ.get("YITI_SHARED_DATA", str(repo / ".." / "shared" / "data")))
