"""The extractive answerer: question -> cited sentences, conflicts, or an abstention."""

from assistant.answer.compose import CANNOT_ANSWER, compose_answer
from assistant.answer.verify import InvalidAnswer, check_quotes, verify_answer

__all__ = ["CANNOT_ANSWER", "InvalidAnswer", "check_quotes", "compose_answer", "verify_answer"]
