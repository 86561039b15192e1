"""The licence of the open data and the attribution its users write.

The files are bilingual by themselves (the README and the licence file of the ZIP, the
licence sheet of an XLSX, the ``licence`` field of a JSON): they say the same in Japanese
and in English whatever the language of the page that linked them.
"""

from portal.open_data.registry import PORTAL_NAME

PDL_NAME = "公共データ利用規約（第1.0版）"
PDL_ID = "PDL-1.0"
PDL_URL = "https://www.digital.go.jp/resources/open_data/public_data_license_v1.0"
CC_BY_ID = "CC-BY-4.0"
CC_BY_URL = "https://creativecommons.org/licenses/by/4.0/legalcode.ja"


def attribution(page_url: str) -> str:
    """出典：川崎市 区役所の取組ポータル（URL）"""
    return f"出典：{PORTAL_NAME}（{page_url}）"


def licence_fields(page_url: str) -> dict:
    """The ``licence`` field of each JSON file."""
    return {
        "name": PDL_NAME,
        "id": PDL_ID,
        "url": PDL_URL,
        "compatible_with": {"id": CC_BY_ID, "url": CC_BY_URL},
        "attribution": attribution(page_url),
        "note": (
            "PDL1.0 is compatible with CC BY 4.0: the data may also be used under CC BY 4.0. "
            "PDL1.0 はクリエイティブ・コモンズ・ライセンス 表示 4.0 国際（CC BY 4.0）と"
            "互換性があります。"
        ),
    }


def licence_text(page_url: str) -> str:
    """LICENSE.txt of the ZIP and the licence sheet of an XLSX, in both languages."""
    return "\n".join(
        [
            f"{PORTAL_NAME} オープンデータ",
            "",
            f"このデータは{PDL_NAME}（{PDL_ID}）に従って提供します。",
            PDL_URL,
            "PDL1.0 はクリエイティブ・コモンズ・ライセンス 表示 4.0 国際（CC BY 4.0）と"
            "互換性があり、このデータは CC BY 4.0 に従って利用することもできます。",
            CC_BY_URL,
            "利用するときは、次のように出典を記載してください。",
            attribution(page_url),
            "",
            "Kawasaki ward-office initiatives portal: open data",
            "",
            f"This data is provided under the Public Data License version 1.0 ({PDL_ID}).",
            "PDL1.0 is compatible with the Creative Commons Attribution 4.0 International "
            "licence (CC BY 4.0): the data may also be used under CC BY 4.0.",
            "When you use it, credit the source as follows:",
            attribution(page_url),
            "",
        ]
    )


def readme_text(page_url: str, files: list[tuple[str, str, str]]) -> str:
    """README.txt of the ZIP: what each file is, (file, Japanese title, English title)."""
    lines = [
        f"{PORTAL_NAME} オープンデータ / Kawasaki ward-office initiatives portal: open data",
        page_url,
        "",
        "CSV: UTF-8（BOM付き）、カンマ区切り、改行 CRLF、1行目が見出し。",
        "日付は ISO 8601、年度は西暦の開始年（和暦は別の列）。",
        "CSV: UTF-8 with a BOM, comma-separated, CRLF line ends, one header row.",
        "Dates in ISO 8601; fiscal years as the Gregorian year they start in "
        "(the Japanese era in its own column).",
        "",
        "dictionary.csv: 各ファイルの列の説明 / the data dictionary of every file.",
        "LICENSE.txt: 利用規約 / the licence.",
        "",
    ]
    lines += [f"{name}: {title_ja} / {title_en}" for name, title_ja, title_en in files]
    lines += ["", attribution(page_url), ""]
    return "\n".join(lines)
