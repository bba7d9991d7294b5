from . import calendar as calendar

__version__: str

class Error(ValueError): ...

class InvalidValueError(Error):
    field: str
    value: str

class OutOfRangeError(InvalidValueError): ...

def redact_personal_numbers(text: str) -> str: ...
