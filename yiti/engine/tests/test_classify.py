"""Behaviour of the tagging classifier (yiti.engine.classify) on tiny corpora and on CSL."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from yiti.engine import cli
from yiti.engine.classify import TextClassifier, load, train

from .shared import real_data


def main(argv: list[str]) -> int:
    return cli.main(["classify", *argv])

TOY = [
    ("水稻种植密度对产量的影响", "作物学"),
    ("小麦品种的抗旱栽培试验", "作物学"),
    ("玉米施肥与水稻轮作研究", "作物学"),
    ("大豆与小麦间作的田间产量", "作物学"),
    ("水稻育种与玉米栽培技术", "作物学"),
    ("基于神经网络的图像识别算法", "计算机科学与技术"),
    ("分布式数据库的查询优化算法", "计算机科学与技术"),
    ("深度学习模型的并行训练方法", "计算机科学与技术"),
    ("编译器中的程序分析算法", "计算机科学与技术"),
    ("神经网络在文本分类中的应用", "计算机科学与技术"),
    ("冠心病患者的临床治疗观察", "临床医学"),
    ("心肌梗死的手术治疗与护理", "临床医学"),
    ("糖尿病患者血糖控制的临床研究", "临床医学"),
    ("高血压患者的药物治疗效果", "临床医学"),
    ("肺炎患儿的临床特征分析", "临床医学"),
]
UNSEEN = [
    ("玉米与大豆的栽培产量比较", "作物学"),
    ("一种新的图像识别神经网络算法", "计算机科学与技术"),
    ("老年高血压患者的临床护理", "临床医学"),
]


@pytest.fixture(scope="module")
def toy_model() -> TextClassifier:
    return train([t for t, _ in TOY], [lab for _, lab in TOY])


def test_separable_toy_set_is_classified_correctly(toy_model: TextClassifier) -> None:
    # given a model trained on three clearly separated topics
    # when unseen texts of each topic are classified
    predicted = toy_model.predict([t for t, _ in UNSEEN])
    # then each gets its topic, and the training texts keep theirs
    assert predicted == [lab for _, lab in UNSEEN]
    assert toy_model.predict([t for t, _ in TOY]) == [lab for _, lab in TOY]
    assert sorted(toy_model.labels) == ["临床医学", "作物学", "计算机科学与技术"]


def test_top_k_is_sorted_bounded_and_agrees_with_predict(toy_model: TextClassifier) -> None:
    text = UNSEEN[1][0]
    top = toy_model.top_k(text, 2)
    assert len(top) == 2
    assert top[0][0] == toy_model.predict([text])[0] == "计算机科学与技术"
    probs = [p for _, p in top]
    assert probs == sorted(probs, reverse=True)
    assert all(0.0 <= p <= 1.0 for p in probs)
    assert sum(probs) <= 1.0 + 1e-9
    # asking for more labels than exist gives every label once, summing to 1
    everything = toy_model.top_k(text, 10)
    assert sorted(lab for lab, _ in everything) == sorted(toy_model.labels)
    assert sum(p for _, p in everything) == pytest.approx(1.0)
    assert toy_model.top_k(text, 0) == []


def test_save_load_round_trip_gives_identical_predictions(toy_model: TextClassifier, tmp_path: Path) -> None:
    texts = [t for t, _ in UNSEEN] + ["完全无关的句子", ""]
    toy_model.save(tmp_path / "m")
    assert sorted(p.name for p in (tmp_path / "m").iterdir()) == ["model.json", "weights.npz"]
    again = load(tmp_path / "m")
    assert again.labels == toy_model.labels
    assert again.predict(texts) == toy_model.predict(texts)
    np.testing.assert_array_equal(again.predict_proba(texts), toy_model.predict_proba(texts))
    assert again.top_k(texts[0], 3) == toy_model.top_k(texts[0], 3)


def test_load_rejects_a_folder_that_is_not_a_model(tmp_path: Path) -> None:
    (tmp_path / "model.json").write_text('{"format": "something else"}', encoding="utf-8")
    with pytest.raises(ValueError, match="不是"):
        load(tmp_path)


def test_empty_and_odd_texts_do_not_crash(toy_model: TextClassifier) -> None:
    odd = ["", "   ", "!!!", "x" * 50_000]
    labels = toy_model.predict(odd)
    assert len(labels) == 4 and all(lab in toy_model.labels for lab in labels)
    assert toy_model.predict([]) == []
    top = toy_model.top_k("", 3)
    assert len(top) == 3 and sum(p for _, p in top) == pytest.approx(1.0)
    # an empty training text is allowed too
    model = train(["", *[t for t, _ in TOY]], ["作物学", *[lab for _, lab in TOY]])
    assert model.predict([UNSEEN[2][0]]) == ["临床医学"]


def test_two_labels_work_and_bad_training_input_is_refused() -> None:
    texts = [t for t, lab in TOY if lab != "临床医学"]
    labels = [lab for _, lab in TOY if lab != "临床医学"]
    model = train(texts, labels)
    assert model.predict([UNSEEN[0][0], UNSEEN[1][0]]) == ["作物学", "计算机科学与技术"]
    with pytest.raises(ValueError, match="两种不同的标签"):
        train(["甲", "乙"], ["同一类", "同一类"])
    with pytest.raises(ValueError, match="标签却有"):
        train(["甲", "乙"], ["a"])
    with pytest.raises(ValueError, match="父类映射"):
        train(texts, labels, extra_texts=["丙"], extra_parents=["农学"])


def test_extra_texts_with_parent_labels_teach_new_words() -> None:
    # given labelled texts that never mention 荔枝 or 卫星, and extra texts that only carry the
    # parent label: 荔枝 co-occurs with 柑橘 (果树学, under 农学), 卫星 with 导航 (工学)
    texts = ["柑橘果园管理", "柑橘病害防治", "水稻田间管理", "水稻病害防治", "导航系统设计", "导航信号处理"]
    labels = ["果树学", "果树学", "作物学", "作物学", "导航工程", "导航工程"]
    parents = {"果树学": "农学", "作物学": "农学", "导航工程": "工学"}
    extra = ["柑橘与荔枝", "荔枝与柑橘果园", "荔枝柑橘", "导航卫星", "卫星导航", "卫星与导航"]
    extra_parents = ["农学", "农学", "农学", "工学", "工学", "工学"]
    # when trained with them
    model = train(texts, labels, parents=parents, extra_texts=extra, extra_parents=extra_parents)
    # then the new words point to the right child labels
    assert model.predict(["荔枝", "卫星"]) == ["果树学", "导航工程"]
    assert model.info["n_pseudo_labelled"] == 6


# --------------------------------------------------------------------------- CLI


def _write_jsonl(path: Path, rows: list[object]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def _train_rows() -> list[object]:
    return [{"id": i, "title": t, "abstract": "", "discipline": lab} for i, (t, lab) in enumerate(TOY)]


def test_cli_writes_one_id_and_label_per_line(tmp_path: Path) -> None:
    train_file = _write_jsonl(tmp_path / "train.jsonl", _train_rows())
    test_file = _write_jsonl(
        tmp_path / "test.jsonl",
        [{"id": f"t{i}", "title": t, "abstract": None} for i, (t, _) in enumerate(UNSEEN)],
    )
    out = tmp_path / "pred.jsonl"
    args = ["--train", str(train_file), "--label", "discipline", "--text-fields", "title,abstract"]
    code = main([*args, "--predict", str(test_file), "--out", str(out), "--save-model", str(tmp_path / "m")])
    assert code == 0
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert lines == [{"id": f"t{i}", "label": lab} for i, (_, lab) in enumerate(UNSEEN)]
    # the saved model labels the same file the same way, with --top-k adding probabilities
    out2 = tmp_path / "pred2.jsonl"
    code = main(
        ["--model", str(tmp_path / "m"), "--predict", str(test_file), "--out", str(out2), "--top-k", "2"]
    )
    assert code == 0
    lines2 = [json.loads(line) for line in out2.read_text(encoding="utf-8").splitlines()]
    assert [{"id": r["id"], "label": r["label"]} for r in lines2] == lines
    assert all(len(r["top"]) == 2 and r["top"][0][0] == r["label"] for r in lines2)


def test_cli_reports_malformed_line_with_its_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    train_file = tmp_path / "train.jsonl"
    good = [json.dumps(r, ensure_ascii=False) for r in _train_rows()]
    # line 3 is broken JSON, line 5 lacks the label, line 7's label is a list
    good[2] = '{"id": 2, "title": "水稻'
    good[4] = json.dumps({"id": 4, "title": "没有标签"})
    good[6] = json.dumps({"id": 6, "title": "标签是列表", "discipline": ["作物学"]})
    train_file.write_text("\n".join(good) + "\n", encoding="utf-8")
    test_file = _write_jsonl(tmp_path / "test.jsonl", [{"id": 1, "title": UNSEEN[0][0]}])
    out = tmp_path / "pred.jsonl"
    argv = ["--train", str(train_file), "--predict", str(test_file), "--out", str(out)]

    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2
    assert f"{train_file}:3: 不是有效的 JSON" in err
    assert f"{train_file}:5: 缺少字段 discipline" in err
    assert f"{train_file}:7: 字段 discipline 应为文字或数字" in err
    assert "未写出任何结果" in err and "Traceback" not in err
    assert not out.exists()

    code = main([*argv, "--skip-bad-lines"])
    err = capsys.readouterr().err
    assert code == 0
    assert f"{train_file}:3: 不是有效的 JSON" in err and "已跳过" in err
    assert json.loads(out.read_text(encoding="utf-8")) == {"id": 1, "label": "作物学"}


def test_cli_usage_errors_exit_non_zero_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([]) == 2
    assert main(["--train", str(tmp_path / "absent.jsonl"), "--predict", "x.jsonl"]) == 2
    err = capsys.readouterr().err
    assert "absent.jsonl" in err and "无法读取" in err and "Traceback" not in err
    _write_jsonl(tmp_path / "t.jsonl", _train_rows())
    assert main(["--train", str(tmp_path / "t.jsonl")]) == 2  # nothing to do
    assert "错误: 没有要做的事" in capsys.readouterr().err
    assert main(["--model", str(tmp_path), "--predict", str(tmp_path / "t.jsonl")]) == 2  # not a model
    assert f"错误: 无法读取模型 {tmp_path}" in capsys.readouterr().err


# --------------------------------------------------------------------------- real data


@pytest.mark.realdata
def test_csl_discipline_tagging_beats_the_reference_floor() -> None:
    dev_path, titles_path = real_data("csl_dev.jsonl", "csl_train_titles.jsonl")

    def rows_of(path: Path) -> list[dict[str, str]]:
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]

    rows = rows_of(dev_path)
    extra = rows_of(titles_path)
    texts = [f"{r['title']}。{r['abstract']}" for r in rows]
    labels = [r["discipline"] for r in rows]
    # given a fixed split: every fifth paper is held out (200 papers, 67 classes)
    te = list(range(0, len(rows), 5))
    tr = [i for i in range(len(rows)) if i % 5]
    # when the shipped recipe is trained on the rest, with the category-only titles as extras
    model = train(
        [texts[i] for i in tr],
        [labels[i] for i in tr],
        parents={r["discipline"]: r["category"] for r in rows},
        extra_texts=[r["title"] for r in extra],
        extra_parents=[r["category"] for r in extra],
    )
    pred = model.predict([texts[i] for i in te])
    accuracy = float(np.mean([p == labels[i] for p, i in zip(pred, te, strict=True)]))
    # then it clearly beats the reference: TF-IDF char 1-2 + LinearSVC scores 0.50 on this split
    # (ours: 0.615; without the extra titles 0.54, so a broken self-training step fails here)
    assert accuracy >= 0.57, accuracy
