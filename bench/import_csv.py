"""A talent import of N rows, as a county office would send it (name, type, employer, title, discipline,
programmes, ID number, phone, e-mail): the load of the concurrency benchmark (bench/concurrent_import.py).

Usage: python bench/import_csv.py OUT.csv --rows 20000 [--seed 0]
Employers are picked from the organisations of 榆次区 in the database, so no organisation is created.
"""

import argparse
import csv
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiti.settings")

import django  # noqa: E402

django.setup()

from yiti.core.models import Division  # noqa: E402
from yiti.core.validators import id_check_char  # noqa: E402
from yiti.orgs.models import Organisation  # noqa: E402
from yiti.talents.models import Programme  # noqa: E402

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红文斌宇浩凯鹏晨欣怡佳琪雪梅海燕"
TITLES = ["正高级", "副高级", "中级", "初级"]
EXPERTISE = ["智能制造", "新材料", "现代农业", "煤层气", "数字经济", "节能环保", "生物医药", "精密铸造"]


def rows(n: int, seed: int) -> list[list[str]]:
    rng = random.Random(seed)
    county = Division.objects.get(code="140702")
    employers = list(Organisation.objects.filter(division=county).values_list("name", flat=True)[:2000])
    programmes = list(Programme.objects.values_list("name", flat=True))
    out = [["姓名", "人才类型", "主管地区", "单位", "职称级别", "专长关键词", "人才计划", "身份证号码", "手机号码", "电子邮箱"]]
    for i in range(n):
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        birth = f"{rng.randint(1960, 1999)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        body = f"140702{birth}{i % 1000:03d}"
        out.append([
            name, "本土优秀人才", "榆次区", rng.choice(employers), rng.choice(TITLES), rng.choice(EXPERTISE),
            rng.choice(programmes) if rng.random() < 0.2 else "",
            body + id_check_char(body), f"13{rng.randint(0, 999999999):09d}", f"t{seed}x{i}@example.cn",
        ])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    with open(args.out, "w", newline="", encoding="utf-8-sig") as handle:
        csv.writer(handle).writerows(rows(args.rows, args.seed))


if __name__ == "__main__":
    main()
