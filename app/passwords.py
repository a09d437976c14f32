"""What a new password must be (ASVS V2.1): at least 12 characters, not a common or easily
guessed password (zxcvbn's estimate with its 30,000 most common passwords), not the username."""

from zxcvbn import zxcvbn

MIN_LENGTH = 12
MAX_LENGTH = 200
MIN_SCORE = 2  # zxcvbn: 0 too guessable, 1 very guessable, 2 somewhat guessable (10^8 guesses)


def password_problem(password: str, username: str | None = None) -> str | None:
    """Why a new password is refused (``中文 / English``), or None when it may be used."""
    if len(password) < MIN_LENGTH:
        return f"密码至少 {MIN_LENGTH} 位 / the password needs at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"密码最多 {MAX_LENGTH} 位 / the password may have at most {MAX_LENGTH} characters"
    name = (username or "").strip().casefold()
    if len(name) >= 3 and name in password.casefold():
        return "密码不能包含用户名 / the password must not contain the username"
    if zxcvbn(password[:100], user_inputs=[name] if name else [])["score"] < MIN_SCORE:
        return (
            "密码太常见或太容易猜到，请换一个更长、更少见的 / "
            "the password is too common or too easy to guess: choose a longer, rarer one"
        )
    return None
