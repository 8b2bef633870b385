import difflib
import random
from dataclasses import dataclass
from unittest import mock

from django.contrib.contenttypes.models import ContentType
from django.test import TestCase
from django.utils import timezone

from home.language import normalize_markup
from professions.models import OrderPage
from tests.factories import build_directory, translate
from translations import memory
from translations.models import MemoryEntry

set_seq1 = difflib.SequenceMatcher.set_seq1

# Common French words, then a large vocabulary: texts share their small words, as real ones do.
COMMON = [
    "le",
    "la",
    "les",
    "de",
    "des",
    "du",
    "un",
    "une",
    "et",
    "à",
    "en",
    "pour",
    "par",
    "sur",
    "au",
    "aux",
    "qui",
    "que",
    "est",
    "sont",
]
SYLLABLES = [
    "pro",
    "fes",
    "sion",
    "or",
    "dre",
    "pu",
    "blic",
    "mem",
    "bre",
    "per",
    "mis",
    "syn",
    "dic",
    "plain",
    "te",
    "en",
    "quê",
    "con",
    "seil",
    "dis",
    "ci",
    "pli",
    "ne",
]


def vocabulary(rng: random.Random, size: int = 3000) -> list[str]:
    return ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(size)]


@dataclass
class FrenchText:
    id: str
    text: str


def sentence(rng: random.Random, words: list[str], size: int) -> str:
    chosen = [rng.choice(COMMON) if rng.random() < 0.4 else rng.choice(words) for _ in range(size)]
    return " ".join(chosen).capitalize() + "."


class TranslationMemoryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        _home, _index, order = build_directory()
        cls.order = translate(order)

    def test_the_english_written_for_a_french_text_is_remembered_with_where_it_comes_from(self):
        entry = MemoryEntry.objects.get(object_id=str(self.order.pk), unit="summary")
        self.assertEqual(
            (entry.source_text, entry.target_text), ("Les testeurs protègent le public.", "Testers protect the public.")
        )
        self.assertEqual(entry.origin, "Ordre des testeurs — Résumé")

    def test_identical_first_then_identical_but_for_punctuation_then_near(self):
        content_type = ContentType.objects.get_for_model(OrderPage)
        now = timezone.now()
        rows = [
            ("Le syndic reçoit les plaintes du public.", "The syndic receives complaints from the public.", "A"),
            ("Le syndic reçoit les plaintes du public !", "The syndic takes complaints from the public!", "B"),
            ("Le syndic reçoit toutes les plaintes du public.", "The syndic receives every complaint.", "C"),
            ("Le conseil de discipline tient des audiences.", "The disciplinary council holds hearings.", "D"),
        ]
        MemoryEntry.objects.bulk_create(
            MemoryEntry(
                content_type=content_type,
                object_id=str(index + 1000),
                language="en",
                unit="summary",
                origin=origin,
                source_text=french,
                source_words=normalize_markup(french),
                source_key=memory.key(french),
                length=len(normalize_markup(french)),
                target_text=english,
                written_at=now,
            )
            for index, (french, english, origin) in enumerate(rows)
        )
        found = memory.suggest(self.order, "en", [FrenchText("x", "Le syndic reçoit les plaintes du public.")])
        self.assertEqual([s.origin for s in found["x"]], ["A", "B", "C"])
        self.assertEqual([s.exact for s in found["x"]], [True, False, False])
        self.assertEqual(found["x"][1].percent, 100)
        self.assertLess(found["x"][2].percent, 100)

    def test_fifty_texts_are_compared_with_a_small_share_of_the_memory(self):
        rng = random.Random(17)
        words = vocabulary(rng)
        content_type = ContentType.objects.get_for_model(OrderPage)
        now = timezone.now()
        sources = [sentence(rng, words, rng.randint(4, 40)) for _ in range(3000)]
        MemoryEntry.objects.bulk_create(
            MemoryEntry(
                content_type=content_type,
                object_id=str(index + 1000),
                language="en",
                unit="body",
                origin=f"Page {index}",
                source_text=french,
                source_words=normalize_markup(french),
                source_key=memory.key(french),
                length=len(normalize_markup(french)),
                target_text=f"English {index}",
                written_at=now,
            )
            for index, french in enumerate(sources)
        )
        # Half the texts were translated elsewhere (one word changed), half are new.
        texts = []
        for index in range(25):
            words = sources[index * 7].rstrip(".").split()
            words[-1] = "mission"
            texts.append(FrenchText(f"near{index}", " ".join(words) + "."))
            texts.append(FrenchText(f"new{index}", sentence(rng, words, rng.randint(4, 40))))
        # Work, not time (speed is bench work): only entries sharing the texts' rarer words are compared
        # word by word, a small share of the 50 × 3,000 pairs.
        with mock.patch.object(difflib.SequenceMatcher, "set_seq1", autospec=True, side_effect=set_seq1) as compared:
            found = memory.suggest(self.order, "en", texts)
        self.assertLess(compared.call_count, 50 * 3000 // 100, compared.call_count)
        recognised = [
            index for index in range(25) if f"English {index * 7}" in [s.text for s in found.get(f"near{index}", [])]
        ]
        self.assertGreaterEqual(len(recognised), 20, recognised)
