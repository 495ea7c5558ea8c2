"""What an engine returns: text lines of words with pixel boxes and confidences."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    confidence: float  # 0..1


@dataclass(frozen=True)
class TextLine:
    words: tuple[Word, ...]

    @property
    def top(self) -> float:
        return min(word.top for word in self.words)

    @property
    def bottom(self) -> float:
        return max(word.bottom for word in self.words)


class OcrUnavailable(RuntimeError):
    """The engine is not installed (a Debian package or a wheel is missing)."""
