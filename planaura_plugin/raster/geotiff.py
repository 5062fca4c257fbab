"""Writing GeoTIFFs safely: block by block, under a temporary name, renamed when complete.

An interrupted or cancelled run therefore never leaves a file with a final name that is
only half written: :class:`OutputSet` removes its temporary files on failure.
"""
from __future__ import annotations

import os
import threading
import uuid
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np

from ..errors import OutputError
from ..gdal_calls import gdal_call
from ..i18n import _
from .write_checks import GdalWriteCheck, close_dataset

COMPRESSIONS = ("LZW", "DEFLATE", "ZSTD", "NONE")


def creation_options(compression: str = "LZW", block: int = 256) -> List[str]:
    """Tiled, compressed, BigTIFF when needed: every output of the plugin uses these."""
    comp = (compression or "NONE").upper()
    if comp not in COMPRESSIONS:
        raise ValueError(_("compression must be one of {compressions}, got {compression!r}").format(
                             compressions=', '.join(COMPRESSIONS), compression=compression))
    opts = ["TILED=YES", f"BLOCKXSIZE={block}", f"BLOCKYSIZE={block}", "BIGTIFF=IF_SAFER"]
    if comp != "NONE":
        opts.append(f"COMPRESS={comp}")
    return opts


def gdal_type(dtype) -> int:
    from osgeo import gdal_array

    code = gdal_array.NumericTypeCodeToGDALTypeCode(np.dtype(dtype))
    if code is None:
        raise ValueError(f"no GDAL type for {dtype}")
    return code


def gdal_reason(exc: Union[BaseException, str, None] = None) -> str:
    """GDAL's message for a failure (or GDAL's last error message), never empty.

    Args:
        exc: the message :func:`planaura_plugin.gdal_calls.gdal_call` gave, or the RuntimeError
            GDAL raised.

    Returns:
        The reason GDAL gave, or a sentence saying it gave none and what to check.
    """
    from osgeo import gdal

    text = (str(exc) if exc is not None else "") or gdal.GetLastErrorMsg()
    return text.strip() or "GDAL gave no reason (check the disk space and the write permissions)"


def check_writable(path: Union[str, Path]) -> None:
    """Fail early (before any model work) when ``path`` cannot be created.

    Nothing is created or removed: a missing folder is checked through the nearest folder that
    exists (a probe file written and deleted there; the run's :class:`OutputSet` creates the
    folders when it writes). Making and removing the folder here raced with another run writing
    into the same new folder, which then found it gone.

    Args:
        path: a final output path.

    Raises:
        OutputError: a file stands where a folder is needed, the folder cannot be written, or
            ``path`` is a folder.
    """
    folder = Path(path).resolve().parent
    for attempt in range(3):  # a folder another run made may vanish with that run's cleanup
        existing = folder
        while not existing.exists() and existing != existing.parent:
            existing = existing.parent
        probe = existing / f".planaura-write-test-{uuid.uuid4().hex}"
        try:
            if not existing.is_dir():
                raise NotADirectoryError(20, os.strerror(20), str(existing))
            probe.write_bytes(b"")
            probe.unlink()
            break
        except FileNotFoundError as exc:
            if attempt == 2:
                raise OutputError(_folder_problem(str(folder), exc)) from exc
        except OSError as exc:
            raise OutputError(_folder_problem(str(folder), exc)) from exc
    if Path(path).is_dir():
        raise OutputError(_("the output path {path} is a folder, a file name is needed").format(path=path))


def _folder_problem(folder: str, exc: OSError) -> str:
    """Why an output folder cannot be created or written: a file in the way first, else the OS's reason."""
    path = os.path.abspath(folder)
    while path and not os.path.exists(path):
        parent = os.path.dirname(path)
        path = parent if parent != path else ""
    if path and not os.path.isdir(path):
        return _("cannot write into the output folder {folder}: {path} is a file, not a folder; choose another "
                 "output folder or rename that file").format(folder=folder, path=path)
    return _("cannot write into the output folder {folder}: {reason}; choose a folder you can write to").format(
        folder=folder, reason=exc.strerror or exc or type(exc).__name__)


def check_not_inputs(outputs: Iterable[Union[str, Path]], inputs: Iterable[Union[str, Path]]) -> None:
    """Outputs must never overwrite inputs, nor any file an input reads.

    Args:
        outputs: the output file names.
        inputs: GDAL dataset names read by the run; each stands for itself and every file GDAL
            reads for it (:func:`files_read`: a VRT's sources, nested VRTs' too, the zip of a
            ``/vsizip/`` member).

    Raises:
        OutputError: an output is one of those files (it would replace it when the run commits:
            a VRT input would lose its source), naming the input it belongs to.
    """
    read: Dict[str, str] = {}
    for name in inputs:
        if name:
            for path in files_read(str(name)):
                read.setdefault(os.path.realpath(path), str(name))
    for out in outputs:
        owner = read.get(os.path.realpath(str(out))) if out else None
        if owner is None:
            continue
        if os.path.realpath(owner) == os.path.realpath(str(out)):
            raise OutputError(_("the output {path} is also an input; choose another output file name").format(
                path=out))
        raise OutputError(_("the output {path} is a file the input {name} reads (a source of a VRT, an archive); "
                            "writing it would change that input: choose another output file name").format(
            path=out, name=owner))


def files_read(name: str, depth: int = 0) -> List[str]:
    """The local files GDAL reads for a dataset name: the name itself, GDAL's file list (a VRT's sources), the
    files of every VRT among them (down to 8 VRTs deep) and, for a member of an archive (``/vsizip/``), the
    archive. Only the name itself when GDAL cannot open it; no ``/vsi`` name (network, memory) is returned."""
    from osgeo import gdal

    from .datasets import split_archive

    found = [] if name.lstrip().startswith("<") else [name]  # a VRT given as XML (a product's) is no file
    ds = gdal_call(gdal.Open, name)[0]
    if ds is not None:
        listed = [f for f in (ds.GetFileList() or []) if f]
        vrt = ds.GetDriver().ShortName == "VRT"
        ds = None
        found += listed
        if vrt and depth < 8:  # GDAL lists a VRT's own sources, not its sources' sources
            for source in listed:
                if source != name and source.lower().endswith(".vrt"):
                    found += files_read(source, depth + 1)
    out = []
    for path in found:
        archive = split_archive(path)
        out.append(archive[1] if archive else path)
    return [p for p in dict.fromkeys(out) if not p.startswith("/vsi")]


#: tries to create a file whose folder another run removed meanwhile (its cleanup after a failure)
FOLDER_ATTEMPTS = 20


class GeoTiffWriter:
    """A GeoTIFF written by blocks under a temporary name (see :class:`OutputSet`)."""

    def __init__(self, path: Union[str, Path], width: int, height: int, bands: int, dtype,
                 geotransform: Optional[Sequence[float]], projection: Optional[str], nodata: Optional[float],
                 compression: str = "LZW", band_names: Optional[Sequence[str]] = None,
                 metadata: Optional[Mapping[str, str]] = None, temp_path: Optional[str] = None,
                 fill: bool = True, block: int = 256) -> None:
        """``fill``: write nodata everywhere first (leave False when every block will be written);
        ``block``: the GeoTIFF block size."""
        from osgeo import gdal

        self.path = str(path)
        self.temp_path = temp_path or self.path
        self.dtype = np.dtype(dtype)
        self.nodata = nodata
        # writes may come from a writing thread (row_writer): never at the same time as close()
        self.lock = threading.RLock()
        driver = gdal.GetDriverByName("GTiff")
        self.ds, reason = gdal_call(driver.Create, self.temp_path, int(width), int(height), int(bands),
                                    gdal_type(dtype), creation_options(compression, block))
        if self.ds is None:
            raise OutputError(_("GDAL could not create {path} ({width} x {height} px, {bands} band(s)): "
                                "{gdal_reason}").format(
                                  path=self.path, width=int(width), height=int(height), bands=int(bands),
                                  gdal_reason=gdal_reason(reason)))
        self.check = GdalWriteCheck(self.path, self.temp_path)
        try:
            self.check.run(self._describe, geotransform, projection, bands, band_names, metadata, fill)
        except OutputError:
            self.discard()
            raise

    def _describe(self, geotransform, projection, bands: int, band_names, metadata, fill: bool) -> None:
        """Georeferencing, nodata (and the nodata fill), band names and metadata of a new file."""
        if geotransform is not None:
            self.ds.SetGeoTransform([float(v) for v in geotransform])
        if projection:
            self.ds.SetProjection(projection)
        for b in range(bands):
            band = self.ds.GetRasterBand(b + 1)
            if self.nodata is not None:
                band.SetNoDataValue(float(self.nodata))
                if fill:
                    band.Fill(float(self.nodata))
            if band_names:
                band.SetDescription(str(band_names[b]))
        if metadata:
            self.ds.SetMetadata({str(k): str(v) for k, v in metadata.items()})

    @property
    def width(self) -> int:
        return self.ds.RasterXSize

    @property
    def height(self) -> int:
        return self.ds.RasterYSize

    def write(self, array: np.ndarray, xoff: int = 0, yoff: int = 0) -> None:
        """Write (bands, h, w) or (h, w) at pixel offset (xoff, yoff)."""
        a = np.asarray(array)
        if a.ndim == 2:
            a = a[None]
        with self.lock:
            if self.ds is None:
                raise OutputError(_("{path} was closed before all its rows were written").format(path=self.path))
            for b in range(a.shape[0]):
                self.write_band(b + 1, a[b], xoff, yoff)

    def write_band(self, band: int, array: np.ndarray, xoff: int = 0, yoff: int = 0) -> None:
        """Write (h, w) into the 1-based ``band`` at pixel offset (xoff, yoff).

        Raises:
            OutputError: GDAL cannot write (it raised, returned an error code or reported an
                error), naming the file; the failure is kept: every later call fails too.
        """
        with self.lock:
            if self.ds is None:
                raise OutputError(_("{path} was closed before all its rows were written").format(path=self.path))
            # no band object in this frame: a failed write's traceback would keep the dataset open,
            # and its late close (GC, during any later GDAL call) raises there with exceptions on
            result = self.check.run(self._write_array, int(band), array, int(xoff), int(yoff))
            if result not in (None, 0):  # a CPLErr other than CE_None
                self.check.failure = self.check.failure or gdal_reason()
                self.check.check()

    def _write_array(self, band: int, array: np.ndarray, xoff: int, yoff: int) -> Any:
        """GDAL's ``WriteArray`` of ``array`` into the 1-based ``band`` (its CPLErr)."""
        return self.ds.GetRasterBand(band).WriteArray(np.asarray(array).astype(self.dtype, copy=False), xoff, yoff)

    def flush(self) -> None:
        """Hand GDAL's cached blocks to the file (a no-op once closed).

        Raises:
            OutputError: a block could not be written (disk full ...), now or earlier.
        """
        with self.lock:
            if self.ds is not None:
                self.check.run(self.ds.FlushCache)

    def build_overviews(self, levels: Sequence[int] = (2, 4, 8, 16), resampling: str = "AVERAGE") -> None:
        levels = [lv for lv in levels if min(self.width, self.height) // lv >= 1]
        if levels:
            self.check.run(self.ds.BuildOverviews, resampling, list(levels))

    def close(self) -> None:
        """Write what GDAL still holds and close the file.

        Raises:
            OutputError: a write failed, now or at any earlier call (the file is incomplete: it
                must not be committed); the dataset is closed all the same.
        """
        with self.lock:
            if self.ds is None:
                self.check.check()
                return
            if self.check.failure is not None:
                self.discard()
                self.check.check()
            try:
                self.check.run(self.ds.FlushCache)
            except OutputError:
                self.discard()
                raise
            close_dataset(self.check, self)

    def discard(self) -> None:
        """Close the dataset ignoring GDAL's errors (the file is being given up)."""
        from osgeo import gdal

        with self.lock:
            gdal.PushErrorHandler("CPLQuietErrorHandler")
            try:
                ds, self.ds = self.ds, None
                closer = getattr(ds, "Close", None)
                if closer is not None:
                    closer()
                del ds
            except RuntimeError:
                pass
            finally:
                gdal.PopErrorHandler()
                gdal.ErrorReset()  # the given-up file's errors are not the next call's


# sidecars of a final name that describe the file it replaces (statistics, overviews, masks,
# georeferencing, style): removed when a run commits a new file under that name
STALE_SIDECARS = (".aux.xml", ".ovr", ".msk")  # appended to the full name (GDAL's rule)
STALE_STEM_SIDECARS = (".qml", ".tfw")  # replacing the extension of a GeoTIFF (QGIS style, world file)
_TEMP_SIDECARS = (".aux.xml", ".ovr", ".msk")  # what GDAL may have written beside a temporary


def stale_sidecars(final: str) -> List[str]:
    """The sidecar files of ``final`` that exist now (they belong to the file a commit replaces).

    Args:
        final: a final output path.

    Returns:
        Existing sidecar paths.
    """
    paths = [final + s for s in STALE_SIDECARS]
    root, ext = os.path.splitext(final)
    if ext.lower() in (".tif", ".tiff"):
        paths += [root + s for s in STALE_STEM_SIDECARS]
    return [p for p in paths if os.path.isfile(p)]


class OutputSet:
    """The files of one run: created under temporary names, renamed together on success.

    Use as a context manager; on any exception (cancel included) every temporary file is
    removed, no final name is touched and the folders the run created are removed if empty.
    Also, while the set is open in the main thread, SIGTERM removes the temporaries before
    the process ends (see :class:`~.output_safety.SigtermGuard`); temporaries that dead runs
    left (SIGKILL, crash) are removed when a folder is first used.

    :meth:`commit` holds a lock file per output folder while it moves the files, so that runs
    writing the same outputs at once commit one after the other, and it either moves every
    file of the set (removing the sidecars of the files they replace) or none.
    """

    def __init__(self) -> None:
        from .output_safety import SigtermGuard, new_token

        self._writers: Dict[str, GeoTiffWriter] = {}
        self._temps: Dict[str, str] = {}  # final -> temporary path
        self._token = new_token()
        self._created: List[str] = []  # folders this set created, outermost first
        self._seen: set = set()  # folders cleaned of dead runs' temporaries
        self._guard = SigtermGuard()

    def temp_name(self, final: Union[str, Path]) -> str:
        """The temporary path of ``final`` (its folder is created, remembered and cleaned).

        Args:
            final: the final path of an output.

        Returns:
            The hidden temporary path beside it.
        """
        from .output_safety import created_folders, remove_dead_temporaries, temporary_name

        final = os.path.abspath(str(final))
        folder = os.path.dirname(final)
        missing = created_folders(folder)
        try:
            os.makedirs(folder, exist_ok=True)
        except OSError as exc:
            raise OutputError(_folder_problem(folder, exc)) from exc
        self._created += [f for f in missing if f not in self._created]
        if folder not in self._seen:
            self._seen.add(folder)
            remove_dead_temporaries(folder)
        tmp = temporary_name(final, self._token)
        self._temps[final] = tmp
        return tmp

    def create(self, path: Union[str, Path], **kwargs) -> GeoTiffWriter:
        """A writer of ``path`` under its temporary name (see :class:`GeoTiffWriter` for ``kwargs``).

        Raises:
            OutputError: GDAL cannot create the file. A folder that vanished between its creation
            and the file's (another run that made it failing and removing it while empty) is made
            again, up to ``FOLDER_ATTEMPTS`` times.
        """
        final = os.path.abspath(str(path))
        for attempt in range(FOLDER_ATTEMPTS):
            temp = self.temp_name(final)  # makes the folder (again)
            try:
                writer = GeoTiffWriter(final, temp_path=temp, **kwargs)
                break
            except OutputError:
                if attempt == FOLDER_ATTEMPTS - 1 or os.path.isdir(os.path.dirname(final)):
                    raise
        self._writers[final] = writer
        return writer

    def writer(self, path: Union[str, Path]) -> GeoTiffWriter:
        return self._writers[os.path.abspath(str(path))]

    def commit(self) -> List[str]:
        """Close every writer and move each temporary file to its final name, all or none.

        Returns:
            The final paths written.

        Raises:
            OutputError: a final name cannot be replaced (e.g. the file is open in another
                program on Windows); every final name and sidecar is then as before.
        """
        from .output_safety import FolderLocks

        for w in self._writers.values():
            w.close()
        moves = [(final, tmp) for final, tmp in self._temps.items() if os.path.exists(tmp)]
        self._guard.defer += 1  # a SIGTERM now waits until the set is committed
        try:
            with FolderLocks([os.path.dirname(final) for final, _ in moves]):
                _Swap(moves, self._token).run()
        finally:
            self._guard.defer -= 1
        self._temps.clear()
        self._writers.clear()
        return [final for final, _ in moves]

    def abort(self) -> None:
        """Remove every temporary file and the folders this set created, when empty."""
        from .output_safety import remove_empty_folders

        self._guard.defer += 1
        try:
            for w in self._writers.values():
                w.discard()  # no flush: the files are removed
            for tmp in self._temps.values():
                for p in [tmp] + [tmp + s for s in _TEMP_SIDECARS]:
                    if os.path.exists(p):
                        os.remove(p)
            self._temps.clear()
            self._writers.clear()
            remove_empty_folders(self._created)
            self._created = []
        finally:
            self._guard.defer -= 1

    def __enter__(self) -> "OutputSet":
        self._guard.install()
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is not None:
                self.abort()
        finally:
            self._guard.finish()  # ends the process here if SIGTERM came


class _Swap:
    """Moves temporaries to their final names as one step that can be undone.

    1. every existing final file is hard-linked (or, where links are impossible, renamed) to a
       backup name, and its stale sidecars are renamed to backup names;
    2. every temporary is renamed to its final name (with the sidecars GDAL wrote beside it);
    3. the backups are removed.

    A failure in 1 or 2 puts every final name and sidecar back as it was and raises
    :class:`OutputError`; the temporaries not yet moved stay for the caller's abort.
    """

    def __init__(self, moves: Sequence[Tuple[str, str]], token: str) -> None:
        self.moves = list(moves)
        self.token = token
        self.backups: List[Tuple[str, str, bool]] = []  # (original, backup, original still there)
        self.placed: List[Tuple[str, str]] = []  # (final, temporary) already moved

    def run(self) -> None:
        try:
            for final, _tmp in self.moves:
                self._back_up(final)
            for final, tmp in self.moves:
                self._place(final, tmp)
        except OSError as exc:
            self._undo()
            name = getattr(exc, "filename", None) or "an output"
            raise OutputError(_("cannot replace {name}: {reason}; if the file is open in another program, close "
                                "it and run again (no output was changed)").format(
                name=name, reason=exc.strerror or exc)) from exc
        for _original, backup, _kept in self.backups:
            try:
                os.remove(backup)
            except OSError:  # a leftover removed later by remove_dead_temporaries
                pass

    def _back_up(self, final: str) -> None:
        from .output_safety import temporary_name

        if os.path.isfile(final):
            backup = temporary_name(final, self.token, "old")
            try:
                os.link(final, backup)
                self.backups.append((final, backup, True))
            except (OSError, AttributeError, NotImplementedError):  # no hard links here (FAT, some shares)
                os.rename(final, backup)
                self.backups.append((final, backup, False))
        for side in stale_sidecars(final):
            backup = temporary_name(side, self.token, "old")
            os.rename(side, backup)
            self.backups.append((side, backup, False))

    def _place(self, final: str, tmp: str) -> None:
        os.replace(tmp, final)
        self.placed.append((final, tmp))
        for s in _TEMP_SIDECARS:
            if os.path.isfile(tmp + s):
                os.replace(tmp + s, final + s)

    def _undo(self) -> None:
        backed = {original: backup for original, backup, _ in self.backups}
        for final, tmp in reversed(self.placed):
            for s in _TEMP_SIDECARS:
                if os.path.isfile(final + s) and final + s not in backed:
                    _quiet(os.replace, final + s, tmp + s)
            if final in backed:
                _quiet(os.replace, backed[final], final)
            else:
                _quiet(os.replace, final, tmp)  # it did not exist before: back to a temporary
        placed = {final for final, _ in self.placed}
        for original, backup, kept in self.backups:
            if not os.path.exists(backup):
                continue
            if kept and original not in placed:
                _quiet(os.remove, backup)  # a hard link to a file that was never replaced
            else:
                _quiet(os.replace, backup, original)


def _quiet(op, *paths: str) -> None:
    """Run a clean-up file operation, ignoring its failure (it is already the failure path)."""
    try:
        op(*paths)
    except OSError:
        pass
