"""Text analysis for Chinese with some English: normalise, segment, bigram, drop stopwords.

Tokens are jieba words plus character bigrams of CJK runs (bigrams catch words jieba splits
differently in query and document) plus latin/digit words.  Words and bigrams share one
namespace on purpose: a two-character word that is also a bigram counts twice, which weights
whole words above accidental bigrams.
"""

from __future__ import annotations

import math
import operator
import os
import re
import threading
import unicodedata
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

import jieba
import numpy as np
import numpy.typing as npt

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
# The blocks jieba segments with its dictionary (everything else is cut into single characters).
_SEG_BLOCK = re.compile("[\u4e00-\u9fd5a-zA-Z0-9+#&._%\\-]+")
_ASCII_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_SKIP = re.compile(r"(\r\n|\s)")
_PREFIX_ONLY = 1.0  # marks a dictionary prefix that is not a word (log-probabilities are <= 0)


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


class _TrieArrays:
    """The dictionary as a trie in flat arrays: node ids, an open-addressing hash table of the
    edges (key ``parent · alphabet + character`` → child node) and the log-probabilities."""

    _MULT = np.uint64(0x9E3779B97F4A7C15)

    def __init__(self, logp: dict[str, float]) -> None:
        words = sorted(logp, key=len)
        node_of = dict(zip(words, range(len(words)), strict=True))
        chars = sorted(set("".join(words)))
        self.char_id = np.zeros(max((ord(c) for c in chars), default=0) + 2, dtype=np.int64)
        self.char_id[[ord(c) for c in chars]] = np.arange(1, len(chars) + 1)
        self.alphabet = len(chars) + 1
        self.logp = np.fromiter(map(logp.__getitem__, words), dtype=np.float64, count=len(words))
        # every prefix of a key must be a key (jieba adds them); if not, the arrays are not used
        found = list(map(node_of.get, [w[:-1] for w in words]))
        n_single = sum(1 for w in words if len(w) == 1)
        self.usable = bool(words) and "" not in logp and None not in found[n_single:]
        parents = [-1] * n_single + [-1 if p is None else p for p in found[n_single:]]
        last = self.char_id[[ord(w[-1]) for w in words]] if words else np.zeros(0, dtype=np.int64)
        par = np.asarray(parents, dtype=np.int64)
        ids = np.arange(len(words), dtype=np.int64)
        self.first = np.full(self.alphabet, -1, dtype=np.int64)
        self.first[last[par < 0]] = ids[par < 0]
        keys = par[par >= 0] * self.alphabet + last[par >= 0]
        nodes = ids[par >= 0]
        self.bits = max(4, int(4 * max(1, len(keys))).bit_length())
        self.mask = (1 << self.bits) - 1
        self.table_key = np.full(1 << self.bits, -1, dtype=np.int64)
        self.table_node = np.full(1 << self.bits, -1, dtype=np.int64)
        slot = self._hash(keys)
        todo = np.arange(len(keys))
        while todo.size:  # linear probing, inserted a batch at a time
            free = self.table_key[slot[todo]] == -1
            cand = todo[free]
            _, first = np.unique(slot[cand], return_index=True)
            put = cand[first]
            self.table_key[slot[put]] = keys[put]
            self.table_node[slot[put]] = nodes[put]
            placed = np.zeros(len(keys), dtype=np.bool_)
            placed[put] = True
            todo = todo[~placed[todo]]
            slot[todo] = (slot[todo] + 1) & self.mask

    def _hash(self, keys: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        h = keys.astype(np.uint64) * self._MULT
        return (h >> np.uint64(64 - self.bits)).astype(np.int64)

    def child(self, node: npt.NDArray[np.int64], cid: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """Child node of each ``node`` along character ``cid`` (-1 where there is none)."""
        key = node * self.alphabet + cid
        out = np.full(len(key), -1, dtype=np.int64)
        slot = self._hash(key)
        todo = np.arange(len(key))
        while todo.size:
            k = self.table_key[slot[todo]]
            found = k == key[todo]
            out[todo[found]] = self.table_node[slot[todo[found]]]
            todo = todo[~found & (k != -1)]
            slot[todo] = (slot[todo] + 1) & self.mask
        return out


_TABLES: dict[str, npt.NDArray[np.bool_]] = {}


def _block_char_table() -> npt.NDArray[np.bool_]:
    """For every code point: is it one of jieba's block characters?"""
    if "block" not in _TABLES:
        t = np.zeros(0x110000, dtype=np.bool_)
        t[0x4E00:0x9FD6] = True
        for c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+#&._%-":
            t[ord(c)] = True
        _TABLES["block"] = t
    return _TABLES["block"]


def _ascii_alnum_table() -> npt.NDArray[np.bool_]:
    if "alnum" not in _TABLES:
        t = np.zeros(128, dtype=np.bool_)
        t[[ord(c) for c in _ASCII_ALNUM]] = True
        _TABLES["alnum"] = t
    return _TABLES["alnum"]


class Segmenter:
    """Maximum-probability segmentation over a jieba dictionary, HMM off.

    Gives exactly the words of ``jieba.Tokenizer.lcut(text, HMM=False)`` (a test compares them
    on real titles and abstracts and on random strings), about three times faster: one
    right-to-left pass walks the dictionary prefixes starting at each position and keeps the
    best path at once, with the words' log-probabilities computed once up front instead of a
    separate DAG, a generator of tuples and a ``log`` per edge.

    How ties and unknown characters are resolved follows jieba: a word's score is
    ``log(freq) - log(total)`` plus the best score after it, equal scores go to the longer word,
    a position that starts no dictionary word becomes a one-character word scored
    ``-log(total)``, runs of single ASCII letters or digits are joined, and characters outside
    jieba's blocks are single words.
    """

    def __init__(self, freq: dict[str, int], total: float) -> None:
        logtotal = math.log(total)
        self._logp: dict[str, float] = {
            w: (math.log(f) - logtotal if f else _PREFIX_ONLY) for w, f in freq.items()
        }
        self._unknown = math.log(1) - logtotal
        self._arrays: _TrieArrays | None = None

    def _block(self, s: str, out: list[str]) -> None:
        """Append the words of one block (a run of jieba's block characters) to ``out``."""
        logp = self._logp.get
        unknown = self._unknown
        n = len(s)
        score = [0.0] * (n + 1)
        end = [0] * (n + 1)
        for i in range(n - 1, -1, -1):
            best = 0.0
            best_end = 0
            j = i + 1
            while j <= n:
                v = logp(s[i:j])
                if v is None:
                    break
                if v <= 0.0:
                    p = v + score[j]
                    if best_end == 0 or p >= best:  # ties go to the longer word
                        best = p
                        best_end = j
                j += 1
            if best_end == 0:
                best = unknown + score[i + 1]
                best_end = i + 1
            score[i] = best
            end[i] = best_end
        i = 0
        run = -1  # start of a run of single ASCII letters/digits, joined into one word
        while i < n:
            j = end[i]
            if j == i + 1 and s[i] in _ASCII_ALNUM:
                if run < 0:
                    run = i
            else:
                if run >= 0:
                    out.append(s[run:i])
                    run = -1
                out.append(s[i:j])
            i = j
        if run >= 0:
            out.append(s[run:n])

    def cut(self, text: str) -> list[str]:
        """Words of ``text`` in order; whitespace comes out as (one-character) words, as in jieba."""
        out: list[str] = []
        pos = 0
        for m in _SEG_BLOCK.finditer(text):
            a, b = m.span()
            if a > pos:
                self._gap(text[pos:a], out)
            self._block(text[a:b], out)
            pos = b
        if pos < len(text):
            self._gap(text[pos:], out)
        return out

    def cut_many(self, texts: list[str]) -> list[list[str]]:
        """``[self.cut(t) for t in texts]``, computed for all texts at once with numpy.

        Every position's dictionary words are found by walking a trie stored as sorted
        integer keys (``parent node · alphabet + character``), one word length at a time for
        all positions together; the best path is then filled from block ends backwards, all
        positions at the same distance from their block's end in one step.  Characters
        outside jieba's blocks are blocks of their own (one word each)."""
        if not texts:
            return []
        arrays = self._trie_arrays()
        if arrays is None or any("\r\n" in t for t in texts):
            return [self.cut(t) for t in texts]
        big = "".join(texts)
        n = len(big)
        if n == 0:
            return [[] for _ in texts]
        cps = np.frombuffer(big.encode("utf-32-le", errors="surrogatepass"), dtype=np.uint32)
        lens = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
        text_start = np.zeros(len(texts) + 1, dtype=np.int64)
        np.cumsum(lens, out=text_start[1:])
        # blocks: maximal runs of block characters, every other character alone
        blk = _block_char_table()[cps]
        first = ~blk
        first[1:] |= ~blk[:-1]
        first[0] = True
        first[text_start[:-1][lens > 0]] = True
        bstart = np.flatnonzero(first)
        bend = np.append(bstart[1:], n)
        bid = np.cumsum(first) - 1
        end_of = bend[bid]
        cid = arrays.char_id[np.minimum(cps, len(arrays.char_id) - 1)]
        # dictionary words starting at each position, one list entry per word length
        ep: list[npt.NDArray[np.int64]] = []
        ev: list[npt.NDArray[np.float64]] = []
        # one-character words: a direct table; longer ones: the hashed trie edges
        active = np.arange(n, dtype=np.int64)
        node = arrays.first[cid]
        length = 1
        while True:
            hit = node >= 0
            active, node = active[hit], node[hit]
            v = arrays.logp[node]
            word = v <= 0.0
            ep.append(active[word])
            ev.append(v[word])
            q = active + length
            ok = q < end_of[active]
            active, node, q = active[ok], node[ok], q[ok]
            if not active.size:
                break
            node = arrays.child(node, cid[q])
            length += 1
        # Edges (dictionary words) laid out position by position, the positions ordered by
        # their distance to the end of their block, lengths ascending within a position; a
        # position that starts no word gets the one-character word jieba falls back to.
        dist = end_of - np.arange(n, dtype=np.int64) - 1
        small = dist.astype(np.int16) if n < 2**15 or int(dist.max()) < 2**15 else dist
        by_dist = np.argsort(small, kind="stable")
        rank = np.empty(n, dtype=np.int64)
        rank[by_dist] = np.arange(n, dtype=np.int64)
        dist_ptr = np.zeros(int(dist.max()) + 2, dtype=np.int64)
        np.cumsum(np.bincount(dist), out=dist_ptr[1:])
        cnt = np.bincount(np.concatenate(ep), minlength=n)
        fallback = np.flatnonzero(cnt == 0)
        cnt[fallback] = 1
        e_ptr = np.zeros(n + 1, dtype=np.int64)  # in distance order
        np.cumsum(cnt[by_dist], out=e_ptr[1:])
        base = e_ptr[rank]
        n_edges = int(e_ptr[-1])
        e_val = np.empty(n_edges, dtype=np.float64)
        e_len = np.empty(n_edges, dtype=np.int64)
        e_val[base[fallback]] = self._unknown
        e_len[base[fallback]] = 1
        seen = np.zeros(n, dtype=np.int64)
        for level, (pos, val) in enumerate(zip(ep, ev, strict=True), start=1):
            slot = base[pos] + seen[pos]
            e_val[slot] = val
            e_len[slot] = level
            seen[pos] += 1
        e_pos = np.repeat(by_dist, cnt[by_dist])
        # Best path, right to left.  Block b's positions sit at p + b in ``score``, so the slot
        # after each block's last position stays 0 (nothing follows inside the block).
        score = np.zeros(n + len(bstart), dtype=np.float64)
        vpos = np.arange(n, dtype=np.int64) + bid
        e_next = vpos[e_pos] + e_len
        vpos_d = vpos[by_dist]
        for d in range(len(dist_ptr) - 1):
            pa, pb = int(dist_ptr[d]), int(dist_ptr[d + 1])
            if pa == pb:
                continue
            ea, eb = int(e_ptr[pa]), int(e_ptr[pb])
            cand = e_val[ea:eb] + score[e_next[ea:eb]]
            score[vpos_d[pa:pb]] = np.maximum.reduceat(cand, e_ptr[pa:pb] - ea)
        # the word each position starts: the longest of those reaching the best score
        cand = e_val + score[e_next]
        at = np.where(cand == score[vpos[e_pos]], np.arange(n_edges, dtype=np.int64), -1)
        best_len = np.empty(n, dtype=np.int64)
        best_len[by_dist] = e_len[np.maximum.reduceat(at, e_ptr[:-1])]
        # follow the best path from every block's start
        steps: list[npt.NDArray[np.int64]] = []
        cur, stop = bstart, bend
        while cur.size:
            steps.append(cur)
            cur = cur + best_len[cur]
            more = cur < stop
            cur, stop = cur[more], stop[more]
        wpos = np.sort(np.concatenate(steps))
        wend = wpos + best_len[wpos]
        # runs of one-character ASCII letters/digits inside a block are joined
        single = (best_len[wpos] == 1) & _ascii_alnum_table()[np.minimum(cps[wpos], 127)]
        join = np.zeros(len(wpos), dtype=np.bool_)
        join[1:] = single[1:] & single[:-1] & (bid[wpos[1:]] == bid[wpos[:-1]])
        keep = ~join
        starts = wpos[keep]
        last_of = np.append(np.flatnonzero(keep)[1:], len(wpos)) - 1
        ends = wend[last_of]
        per_text = np.bincount(np.searchsorted(text_start, starts, side="right") - 1, minlength=len(texts))
        words = [big[a:b] for a, b in zip(starts.tolist(), ends.tolist(), strict=True)]
        out: list[list[str]] = []
        i = 0
        for k in per_text.tolist():
            out.append(words[i : i + k])
            i += k
        return out

    def prepare(self) -> None:
        """Build the arrays :meth:`cut_many` uses (~0.5 s; do it once before forking workers)."""
        self._trie_arrays()

    def _trie_arrays(self) -> _TrieArrays | None:
        if self._arrays is None:
            self._arrays = _TrieArrays(self._logp)
        return self._arrays if self._arrays.usable else None

    @staticmethod
    def _gap(text: str, out: list[str]) -> None:
        if "\r\n" in text:  # jieba keeps a CRLF together
            for piece in _SKIP.split(text):
                if _SKIP.match(piece):
                    out.append(piece)
                else:
                    out.extend(piece)
        else:
            out.extend(text)


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
        self._segmenter: Segmenter | None = None
        self._lock = threading.Lock()

    @property
    def tokenizer(self) -> jieba.Tokenizer:
        """A jieba tokenizer with this analyser's user words, made afresh (~0.5 s): the analyser segments with its
        own `segmenter` and does not keep one — jieba's dictionary is 50 MB of Python objects in every process."""
        tok = jieba.Tokenizer()
        tok.initialize()
        for w in self.user_words:
            if len(w) >= 2:
                tok.add_word(w, freq=max(tok.suggest_freq(w), 50))
        return tok

    @property
    def segmenter(self) -> Segmenter:
        """Our own segmentation over jieba's dictionary (user words included), built once, lazily."""
        if self._segmenter is None:
            with self._lock:
                if self._segmenter is None:
                    tok = self.tokenizer
                    self._segmenter = Segmenter(tok.FREQ, tok.total)
        return self._segmenter

    def __getstate__(self) -> dict[str, object]:
        state = self.__dict__.copy()
        state["_segmenter"] = None
        state["_lock"] = None
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def words_of(self, text: str) -> list[str]:
        """jieba words of already normalised text, without punctuation and stopwords."""
        return self._keep_words(self.segmenter.cut(text))

    def _keep_words(self, words: list[str]) -> list[str]:
        out: list[str] = []
        stop = self.stopwords
        for w in words:
            w = w.strip()
            if w and w not in stop and _WORDLIKE.match(w):
                out.append(w)
        return out

    def analyse(self, text: str | bytes | None) -> list[str]:
        """Index terms of ``text`` (in order, with repeats)."""
        norm = normalise(text)
        if not norm:
            return []
        if self.words:
            terms = self.words_of(norm)
        else:
            terms = [m.group() for m in _RUN.finditer(norm) if not _CJK_RUN.fullmatch(m.group())]
        if self.bigrams:
            self._add_bigrams(norm, terms)
        return terms

    def analyse_many(self, texts: Iterable[str | bytes | None]) -> list[list[str]]:
        """``[self.analyse(t) for t in texts]``, with the segmentation done for all at once."""
        norms = [normalise(t) for t in texts]
        if not self.words:
            return [self.analyse(t) for t in norms]
        out = [self._keep_words(ws) for ws in self.segmenter.cut_many(norms)]
        if self.bigrams:
            for norm, terms in zip(norms, out, strict=True):
                if norm:
                    self._add_bigrams(norm, terms)
        return out

    def _add_bigrams(self, norm: str, terms: list[str]) -> None:
        stop = self.stopwords
        for run in _CJK_RUN.findall(norm):
            if len(run) == 1:
                if not self.words and run not in stop:
                    terms.append(run)
                continue
            # run[i] + run[i + 1] is run[i : i + 2], made without a slice object per pair
            terms.extend([b for b in map(operator.add, run, run[1:]) if b not in stop])

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
