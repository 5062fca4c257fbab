"""Errors the core raises on purpose: each one carries a message a user can act on."""


class PlanauraError(Exception):
    """Base class of every error raised by the Planaura core on purpose."""


class InputError(PlanauraError):
    """An input raster, table or parameter is not what the pipeline expects."""


class CheckpointError(PlanauraError):
    """A checkpoint file cannot be read or does not match the configured architecture."""


class WeightsUnavailableError(CheckpointError):
    """The weights are neither on disk nor in the Hugging Face cache and cannot be fetched."""


class OutputError(PlanauraError):
    """An output cannot be written where it was asked for."""


class DeviceError(PlanauraError):
    """The requested device (CUDA) is not usable with this installation."""


class Cancelled(PlanauraError):
    """The user cancelled the run; outputs of the run have been removed."""


class MissingDependencyError(PlanauraError):
    """A Python package the core needs (torch, pyarrow, ...) is not installed."""
