"""Random macro expressions (numbers, text, ``+``/``-`` chains) for a differential test against ImageJ.

Each line is a ``print(...)`` ImageJ runs without an error: no division by zero, no
text after ``-`` or in a product.  The prelude gives variables of each kind: ``n``,
``h`` numbers, ``s`` text, and ``u``/``w`` whose kind is known only at run time.
"""

from __future__ import annotations

import random

PRELUDE = ('n = 5; h = 0.25; s = "S";\n'
           'if (n > 1) { u = 2; w = "W"; } else { u = "U"; w = 3; }\n'
           'function f(x) { return x / 3; }\n')
NUMBERS = ["0", "1", "7", "2.5", "0.1", "1e-5", "123456.789", "1e10", "1234567890123", "3", "n", "h", "u",
           "0.5", "100"]
DIVISORS = ["1", "7", "2.5", "0.1", "3", "n", "h", "1e-5"]
TEXTS = ['"t"', "s", "w", '"x y"', '""']


def _number(rng: random.Random, depth: int = 0) -> str:
    roll = rng.random()
    if depth < 2 and roll < 0.2:
        return f"({_number(rng, depth + 1)} {rng.choice('+-*')} {_number(rng, depth + 1)})"
    if depth < 2 and roll < 0.3:
        return f"{_number(rng, depth + 1)} / {rng.choice(DIVISORS)}"
    if roll < 0.38:
        return f"f({rng.choice(NUMBERS)})"
    return rng.choice(NUMBERS)


def _term_start(rng: random.Random) -> str:
    """A number that may start a term: not a call of the script's own function (ImageJ writes that
    call as text at once, so a following ``-``, ``*`` or ``/`` would be an error)."""
    while True:
        number = _number(rng)
        if not number.startswith("f("):
            return number


def _chain(rng: random.Random) -> str:
    """Operands joined by ``+``, and by ``-`` only after a number (ImageJ stops at text - x)."""
    after_text = rng.random() < 0.5
    parts = [rng.choice(TEXTS) if after_text else _term_start(rng)]
    has_text = after_text
    for _ in range(rng.randint(1, 5)):
        if rng.random() < 0.45:
            parts.append(f"+ {rng.choice(TEXTS)}")
            after_text = has_text = True
        else:
            parts.append(f"+ {_term_start(rng)}" if after_text else f"{rng.choice('+-')} {_number(rng)}")
            after_text = False
    if not has_text:
        parts.append(f"+ {rng.choice(TEXTS)}")
    return " ".join(parts)


def random_macro(seed: int, lines: int, javascript: bool = False) -> str:
    """A macro (or JavaScript) of ``lines`` print statements, the same for the same seed."""
    rng = random.Random(seed)
    body = []
    for _ in range(lines):
        if rng.random() < 0.2 and not javascript:
            body.append(f"print({_chain(rng)}, {_number(rng)});")
        else:
            body.append(f"print({_chain(rng)});")
    prelude = PRELUDE.replace("n = 5; h = 0.25; s", "var n = 5, h = 0.25, u = 0, w = 0, s") if javascript else PRELUDE
    return prelude + "\n".join(body) + "\n"
