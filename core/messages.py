"""Message storage that does not queue the same notice twice.

A member who posts three comments before reading a page would otherwise see three
identical thank-you notes.
"""

from django.contrib.messages.storage.fallback import FallbackStorage


class UniqueMessageStorage(FallbackStorage):
    def add(self, level, message, extra_tags=""):
        text = str(message)
        pending = [*self._loaded_messages, *self._queued_messages]
        if any(m.level == level and str(m.message) == text for m in pending):
            return
        super().add(level, message, extra_tags)
