# ruff: noqa: E501, SIM905 (date and greeting banks, one a line)
"""Write the labelled corpus (messages.jsonl) from the phrase banks, deterministically:
`python -m relance.assistant.corpus.build`. Same seed, same file, byte for byte.

Each message is one phrasing of a family (phrases.py), its slots filled (invoice numbers in
several house styles, amounts in each locale's format, a date expression whose gold date is
computed here from the row's reference date), wrapped the way real replies come: greeting,
sign-off, signature block, sometimes a quoted reminder or a forwarded header, sometimes in
another language than the body, with typos, lost accents or all lower case.

The split is by family: within each group of families (same intent and category), every
third family starting with the second is held out, so that a test message is never a
paraphrase of a training one; fillers (dates, greetings, signatures) are shared, as in life.
"""

import calendar
import json
import random
import unicodedata
from datetime import date, timedelta
from pathlib import Path

from relance.assistant.corpus.phrases import FAMILIES, FUTURE, PAST

SEED = 20261205
PER_FAMILY_AND_LANGUAGE = 15
OUT = Path(__file__).with_name("messages.jsonl")
LANGUAGES = ("fr", "en", "de", "es")

MONTHS = {
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "en": "January February March April May June July August September October November December",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
}
MONTHS = {lang: names.split() for lang, names in MONTHS.items()}
WEEKDAYS = {
    "fr": "lundi mardi mercredi jeudi vendredi".split(),
    "en": "Monday Tuesday Wednesday Thursday Friday".split(),
    "de": "Montag Dienstag Mittwoch Donnerstag Freitag".split(),
    "es": "lunes martes miércoles jueves viernes".split(),
}


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def next_day_of_month(ref: date, d: int, *, past: bool) -> date:
    """The day `d` after `ref` (before it, for a past date), in this month or the next."""
    if past:
        if d < ref.day:
            return ref.replace(day=d)
        previous = ref.replace(day=1) - timedelta(days=1)
        return previous.replace(day=d)
    if d > ref.day:
        return ref.replace(day=d)
    following = month_end(ref) + timedelta(days=1)
    return following.replace(day=d)


def next_weekday(ref: date, weekday: int) -> date:
    return ref + timedelta(days=(weekday - ref.weekday() - 1) % 7 + 1)


def last_weekday(ref: date, weekday: int) -> date:
    return ref - timedelta(days=(ref.weekday() - weekday - 1) % 7 + 1)


def ordinal(d: int) -> str:
    suffix = "th" if 10 <= d % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th")
    return f"{d}{suffix}"


def numeric(lang: str, day: date, *, year=True) -> str:
    if lang == "de":
        return day.strftime("%d.%m.%Y") if year else f"{day.day}.{day.month}."
    if lang == "en" and year and day.day % 3 == 0:
        return day.isoformat()
    return day.strftime("%d/%m/%Y") if year else day.strftime("%d/%m")


def future_date(lang: str, ref: date, rng: random.Random) -> tuple[str, date]:
    choice = rng.randrange(10)
    d = rng.choice([x for x in range(1, 29) if x != ref.day])
    later = ref + timedelta(days=rng.randint(3, 70))
    wd = rng.randrange(5)
    n = rng.choice([5, 8, 10, 15, 20, 30])
    month = MONTHS[lang][later.month - 1]
    weekday = WEEKDAYS[lang][wd]
    if choice == 0:
        gold = next_day_of_month(ref, d, past=False)
        text = {"fr": f"le {d}", "en": f"on the {ordinal(d)}", "de": f"am {d}.", "es": f"el {d}"}
        alt = {
            "fr": f"d'ici le {d}",
            "en": f"by the {ordinal(d)}",
            "de": f"bis zum {d}.",
            "es": f"el día {d}",
        }
        return rng.choice([text, alt])[lang], gold
    if choice == 1:
        text = {
            "fr": f"le {later.day} {month}",
            "en": f"on {later.day} {month}",
            "de": f"am {later.day}. {month}",
            "es": f"el {later.day} de {month}",
        }
        if lang == "en" and rng.random() < 0.5:
            text["en"] = f"on {month} {ordinal(later.day)}"
        return text[lang], later
    if choice == 2:
        prefix = {"fr": "le ", "en": "on ", "de": "am ", "es": "el "}[lang]
        return prefix + numeric(lang, later), later
    if choice == 3 and lang != "en":
        prefix = {"fr": "le ", "de": "am ", "es": "el "}[lang]
        return prefix + numeric(lang, later, year=False), later
    if choice in (3, 4):
        options = {
            "fr": ["fin du mois", "à la fin du mois", "d'ici la fin du mois", "fin de mois"],
            "en": ["by the end of the month", "at the end of the month", "end of month"],
            "de": ["Ende des Monats", "zum Monatsende", "bis Monatsende"],
            "es": ["a fin de mes", "a finales de mes", "antes de fin de mes"],
        }
        return rng.choice(options[lang]), month_end(ref)
    if choice == 5:
        text = {
            "fr": rng.choice([f"{weekday} prochain", f"ce {weekday}"]),
            "en": rng.choice([f"next {weekday}", f"this {weekday}", f"on {weekday}"]),
            "de": rng.choice([f"nächsten {weekday}", f"kommenden {weekday}", f"am {weekday}"]),
            "es": rng.choice([f"el próximo {weekday}", f"el {weekday} que viene", f"el {weekday}"]),
        }
        return text[lang], next_weekday(ref, wd)
    if choice == 6:
        text = {"fr": "demain", "en": "tomorrow", "de": "morgen", "es": "mañana"}
        return text[lang], ref + timedelta(days=1)
    if choice == 7:
        text = {
            "fr": f"dans {n} jours",
            "en": f"in {n} days",
            "de": f"in {n} Tagen",
            "es": rng.choice([f"en {n} días", f"dentro de {n} días"]),
        }
        return text[lang], ref + timedelta(days=n)
    if choice == 8:
        target = month_end(month_end(ref) + timedelta(days=1))
        name = MONTHS[lang][target.month - 1]
        text = {
            "fr": f"fin {name}",
            "en": f"by the end of {name}",
            "de": f"Ende {name}",
            "es": f"a finales de {name}",
        }
        return text[lang], target
    text = {
        "fr": f"le {later.day} {month} {later.year}",
        "en": f"on {later.day} {month} {later.year}",
        "de": f"am {later.day}. {month} {later.year}",
        "es": f"el {later.day} de {month} de {later.year}",
    }
    return text[lang], later


def past_date(lang: str, ref: date, rng: random.Random) -> tuple[str, date]:
    choice = rng.randrange(7)
    d = rng.choice([x for x in range(1, 29) if x != ref.day])
    earlier = ref - timedelta(days=rng.randint(2, 25))
    wd = rng.randrange(5)
    weekday = WEEKDAYS[lang][wd]
    if choice == 0:
        text = {"fr": "hier", "en": "yesterday", "de": "gestern", "es": "ayer"}
        return text[lang], ref - timedelta(days=1)
    if choice == 1:
        text = {
            "fr": rng.choice(["aujourd'hui", "ce matin"]),
            "en": rng.choice(["today", "this morning"]),
            "de": "heute",
            "es": rng.choice(["hoy", "esta mañana"]),
        }
        return text[lang], ref
    if choice == 2:
        text = {"fr": f"le {d}", "en": f"on the {ordinal(d)}", "de": f"am {d}.", "es": f"el {d}"}
        return text[lang], next_day_of_month(ref, d, past=True)
    if choice == 3:
        month = MONTHS[lang][earlier.month - 1]
        text = {
            "fr": f"le {earlier.day} {month}",
            "en": f"on {earlier.day} {month}",
            "de": f"am {earlier.day}. {month}",
            "es": f"el {earlier.day} de {month}",
        }
        return text[lang], earlier
    if choice == 4:
        text = {
            "fr": f"{weekday} dernier",
            "en": f"last {weekday}",
            "de": rng.choice([f"letzten {weekday}", f"am vergangenen {weekday}"]),
            "es": f"el {weekday} pasado",
        }
        return text[lang], last_weekday(ref, wd)
    if choice == 5:
        text = {
            "fr": "avant-hier",
            "en": "the day before yesterday",
            "de": "vorgestern",
            "es": "anteayer",
        }
        return text[lang], ref - timedelta(days=2)
    prefix = {"fr": "le ", "en": "on ", "de": "am ", "es": "el "}[lang]
    return prefix + numeric(lang, earlier), earlier


def invoice_number(rng: random.Random, ref: date) -> str:
    n = rng.randint(1, 9999)
    style = rng.randrange(6)
    return [
        f"F-{ref.year}-{n:04d}",
        f"FA{ref.year % 100}-{n:05d}",
        f"INV-{10000 + n}",
        f"{ref.year}-{n:04d}",
        f"F{n:06d}",
        f"RE{ref.year}{n:04d}",
    ][style]


def amount(lang: str, rng: random.Random) -> tuple[str, str]:
    value = (
        rng.choice([rng.randint(50, 999), rng.randint(1000, 99999)])
        + rng.choice([0, rng.randint(1, 99)]) / 100
    )
    whole, cents = f"{value:.2f}".split(".")
    grouped = f"{int(whole):,}"
    style = rng.randrange(5)
    if style == 0:
        text = f"{grouped.replace(',', ' ')},{cents} €"
    elif style == 1:
        text = f"{grouped.replace(',', '.')},{cents} EUR"
    elif style == 2:
        text = f"EUR {grouped}.{cents}"
    elif style == 3:
        text = f"€{grouped}.{cents}"
    else:
        text = f"{whole},{cents} euros" if lang != "en" else f"{whole}.{cents} euros"
    return text, f"{value:.2f}"


GREETINGS = {
    "fr": ["Bonjour,", "Bonjour Madame,", "Madame, Monsieur,", "Bonjour à vous,", "Hello,", ""],
    "en": ["Hello,", "Hi,", "Dear Sir or Madam,", "Good morning,", "Hi there,", ""],
    "de": ["Sehr geehrte Damen und Herren,", "Hallo,", "Guten Tag,", "Liebe Frau Schmidt,", ""],
    "es": ["Buenos días,", "Hola,", "Estimados señores:", "Buenas tardes,", ""],
}
CLOSINGS = {
    "fr": ["Cordialement,", "Bien cordialement,", "Bonne journée,", "Merci d'avance,", "Cdlt", ""],
    "en": ["Kind regards,", "Best regards,", "Thanks,", "Cheers,", "Regards", ""],
    "de": ["Mit freundlichen Grüßen", "Viele Grüße", "Beste Grüße,", "MfG", ""],
    "es": ["Saludos cordiales,", "Un saludo,", "Atentamente,", "Gracias,", ""],
}
NAMES = [
    "Claire Martin",
    "John Smith",
    "Anna Becker",
    "Lucía García",
    "Paul Durand",
    "Emma Wilson",
    "Jonas Weber",
    "Javier López",
    "Sophie Bernard",
    "Marta Ruiz",
]
COMPANIES = [
    "Dupont SA",
    "Brightwell Ltd",
    "Müller GmbH",
    "Hermanos Pérez SL",
    "Transports Leroy",
    "Northwind Traders",
    "Bauer & Söhne KG",
    "Distribuciones Sol SA",
]
TITLES = {
    "fr": "Comptable fournisseurs",
    "en": "Accounts Payable",
    "de": "Kreditorenbuchhaltung",
    "es": "Cuentas a pagar",
}
REMINDER = {
    "fr": "Sauf erreur de notre part, la facture {inv} de {amount} échue le {due} reste impayée.",
    "en": "According to our records, invoice {inv} for {amount} due on {due} is still unpaid.",
    "de": "Nach unseren Unterlagen ist die Rechnung {inv} über {amount}, fällig am {due}, noch offen.",
    "es": "Según nuestros registros, la factura {inv} de {amount} vencida el {due} sigue pendiente.",
}
QUOTE_HEADERS = {
    "fr": "Le {when}, Acme France <relances@acme.example> a écrit :",
    "en": "On {when}, Acme UK <reminders@acme.example> wrote:",
    "de": "Am {when} schrieb Acme GmbH <mahnung@acme.example>:",
    "es": "El {when}, Acme España <recordatorios@acme.example> escribió:",
}
FORWARD = {
    "fr": "-------- Message transféré --------\nDe : {name} <{email}>\nObjet : TR: Relance facture\n",
    "en": "---------- Forwarded message ---------\nFrom: {name} <{email}>\nSubject: Fwd: Payment reminder\n",
    "de": "-------- Weitergeleitete Nachricht --------\nVon: {name} <{email}>\nBetreff: WG: Zahlungserinnerung\n",
    "es": "---------- Mensaje reenviado ---------\nDe: {name} <{email}>\nAsunto: RV: Recordatorio de pago\n",
}
JOINS = {"fr": " et ", "en": " and ", "de": " und ", "es": " y "}


def typo(word: str, rng: random.Random) -> str:
    if len(word) < 5 or not word.isalpha():
        return word
    i = rng.randrange(1, len(word) - 2)
    kind = rng.randrange(3)
    if kind == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def roughen(text: str, rng: random.Random, keep: str = "") -> str:
    """Typos (never in the date, whose gold would then be a guess), lost accents, all lower
    case: how replies typed on a phone look."""
    kept = set(keep.lower().split())
    if rng.random() < 0.3:
        words = text.split(" ")
        for _ in range(rng.randint(1, 3)):
            k = rng.randrange(len(words))
            if words[k].lower().strip(".,!?") not in kept:
                words[k] = typo(words[k], rng)
        text = " ".join(words)
    if rng.random() < 0.15:
        text = "".join(
            c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn"
        )
    if rng.random() < 0.1:
        text = text.lower()
    return text


def fill(phrasing: str, lang: str, ref: date, date_kind: str, rng: random.Random) -> dict:
    inv, inv2 = invoice_number(rng, ref), invoice_number(rng, ref)
    while inv2 == inv:
        inv2 = invoice_number(rng, ref)
    amount_text, amount_value = amount(lang, rng)
    name = rng.choice(NAMES)
    email = (
        name.split()[0].lower()
        + "."
        + name.split()[1].lower()
        + "@"
        + rng.choice(["dupont.fr", "brightwell.co.uk", "mueller.de", "perez.es"])
    )
    phone = rng.choice(["06 12 34 56 78", "+44 20 7946 0958", "0171 2345678", "+34 612 345 678"])
    q1 = rng.randint(2, 40)
    gold_date = None
    date_text = ""
    if "{date}" not in phrasing:
        pass  # a phrasing of a dated family may state no date: no gold then
    elif date_kind == FUTURE:
        date_text, gold_date = future_date(lang, ref, rng)
    elif date_kind == PAST:
        date_text, gold_date = past_date(lang, ref, rng)
    values = {
        "inv": inv,
        "inv2": inv2,
        "invs": inv + JOINS[lang] + inv2,
        "date": date_text,
        "amount": amount_text,
        "email": email,
        "name": name,
        "phone": phone,
        "q1": q1,
        "q2": q1 + rng.randint(1, 10),
    }
    text = phrasing.format(**values)
    text = text[0].upper() + text[1:]
    invoices = [inv] if "{inv}" in phrasing else []
    if "{inv2}" in phrasing:
        invoices.append(inv2)
    if "{invs}" in phrasing:
        invoices = [inv, inv2]
    return {
        "text": text,
        "date_text": date_text,
        "date": gold_date.isoformat() if gold_date else None,
        "amounts": [amount_value] if "{amount}" in phrasing else [],
        "invoices": invoices,
    }


def wrap(body: str, lang: str, ref: date, rng: random.Random) -> str:
    """Greeting, sign-off, signature, and sometimes quoted history or a forward header."""
    frame = lang if rng.random() < 0.85 else rng.choice(LANGUAGES)  # mixed languages
    name, company = rng.choice(NAMES), rng.choice(COMPANIES)
    parts = []
    greeting = rng.choice(GREETINGS[frame])
    if greeting:
        parts.append(greeting + "\n")
    parts.append(body)
    closing = rng.choice(CLOSINGS[frame])
    if closing:
        parts.append("\n" + closing)
    if rng.random() < 0.6:
        signature = f"{name}\n{TITLES[frame]} - {company}"
        if rng.random() < 0.4:
            signature += "\nTél. +33 1 23 45 67 89" if frame == "fr" else "\nTel. +44 20 7946 0000"
        parts.append(("\n-- \n" if rng.random() < 0.3 else "\n") + signature)
    text = "\n".join(parts)
    roll = rng.random()
    if roll < 0.35:
        quoted_lang = lang if rng.random() < 0.7 else rng.choice(LANGUAGES)
        due = ref - timedelta(days=rng.randint(10, 90))
        reminder = REMINDER[quoted_lang].format(
            inv=invoice_number(rng, ref),
            amount=amount(quoted_lang, rng)[0],
            due=numeric(quoted_lang, due),
        )
        when = numeric(quoted_lang, ref - timedelta(days=rng.randint(1, 5))) + " 09:12"
        header = QUOTE_HEADERS[quoted_lang].format(when=when)
        quoted = "\n".join("> " + line for line in [*GREETINGS[quoted_lang][:1], reminder])
        text = f"{text}\n\n{header}\n{quoted}"
    elif roll < 0.45:
        forward = FORWARD[frame].format(
            name=name, email="ap@" + company.split()[0].lower() + ".example"
        )
        text = f"{forward}\n{text}"
    return text


def build(seed: int = SEED) -> list[dict]:
    rng = random.Random(seed)
    rows, seen = [], set()
    group_counts: dict[str, int] = {}
    start = date(2026, 1, 5)
    for family_index, (group, intent, reason, document, date_kind, phrasings) in enumerate(
        FAMILIES
    ):
        position = group_counts.get(group, 0)
        group_counts[group] = position + 1
        split = "test" if position % 3 == 1 else "train"
        for lang in LANGUAGES:
            made = 0
            attempts = 0
            while made < PER_FAMILY_AND_LANGUAGE and attempts < 200:
                attempts += 1
                ref = start + timedelta(days=rng.randrange(700))
                phrasing = rng.choice(phrasings[lang])
                filled = fill(phrasing, lang, ref, date_kind, rng)
                text = wrap(roughen(filled["text"], rng, filled["date_text"]), lang, ref, rng)
                if text in seen:
                    continue
                seen.add(text)
                made += 1
                rows.append(
                    {
                        "id": f"{family_index:02d}-{lang}-{made:02d}",
                        "family": family_index,
                        "group": group,
                        "split": split,
                        "language": lang,
                        "intent": intent,
                        "dispute_reason": reason,
                        "document": document,
                        "reference_date": ref.isoformat(),
                        "date": filled["date"],
                        "amounts": filled["amounts"],
                        "invoices": filled["invoices"],
                        "text": text,
                    }
                )
    return rows


def main() -> None:
    rows = build()
    with OUT.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    test = sum(row["split"] == "test" for row in rows)
    print(f"{len(rows)} messages ({test} held out) written to {OUT}")


if __name__ == "__main__":
    main()
