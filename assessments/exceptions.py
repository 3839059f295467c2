"""The one base of the errors services raise.

A service refuses an action with a subclass of ServiceError whose message
is written for the person who asked; views show it as it is. Each feature
names its own (AttemptError, CohortError, BankError, SharingError) so that
a view catches what its action can refuse, and nothing else.
"""


class ServiceError(Exception):
    """An action cannot be taken now; the message says why, for the person."""
