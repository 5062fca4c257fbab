"""The execution of a change-map plan: reader thread -> model (main thread) -> stitch/write thread."""
from __future__ import annotations

import queue
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from typing import TYPE_CHECKING, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

import numpy as np

from ...errors import InputError
from ...feedback import Feedback
from ...fmask import FILL
from ...i18n import _
from ...raster.layout import OutputGrid
from ...raster.stitch import GridStitcher, LayerSpec, PassMerger
from ...raster.tile_grid import Tile
from ...raster.upsample import NODATA
from .outputs import ChangeMapFiles
from ...products import DATE_NODATA
from .plan import PREPASS_SHARE, ChangeMapPlan, date_readers
from .tiles import table_rows, tile_maps
from .tile_workers import map_workers, ordered_map

if TYPE_CHECKING:
    from ...model.inference import PlanauraRunner


# ----------------------------------------------------------------------------------------------
# execution
# ----------------------------------------------------------------------------------------------
_DONE = object()


def run_batch_size(plan: ChangeMapPlan, fb: Feedback) -> int:
    """Tiles per model call: the one asked for, lowered to what the GPU's free memory holds, or chosen
    from that memory when 0 was asked for (model/devices.py); says so when it lowers it."""
    from ...model.devices import batch_for_run
    from ...model.loading import run_devices

    spec = plan.request.model.for_run(plan.frames, plan.stride)
    channels = None if plan.model_channels is None else len(plan.model_channels)
    size, note = batch_for_run(spec.config, int(spec.batch_size), run_devices(spec), spec.precision,
                               channels=channels, reconstruction=bool(plan.kinds("infer_")))
    if note:
        fb.info(note)
    return size


class _Worker(threading.Thread):
    """A daemon thread whose exception is kept for the main thread."""

    def __init__(self, name: str, target: Callable[[], None]) -> None:
        super().__init__(name=name, daemon=True)
        self._target_fn = target
        self.error: Optional[BaseException] = None

    def run(self) -> None:
        try:
            self._target_fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread
            self.error = exc


def _put(q: "queue.Queue", item, stop: threading.Event, consumer: Optional[threading.Thread] = None) -> bool:
    """Put with a bounded queue; gives up when the run stops or the consumer has died."""
    while not stop.is_set() and (consumer is None or consumer.is_alive()):
        try:
            q.put(item, timeout=0.1)
            return True
        except queue.Full:
            continue
    return False


def _get(q: "queue.Queue", stop: threading.Event, other: Optional[_Worker] = None):
    while True:
        try:
            return q.get(timeout=0.1)
        except queue.Empty:
            if stop.is_set():
                return _DONE
            if other is not None and not other.is_alive() and q.empty():
                return _DONE


def balanced_batches(items: Sequence, batch_size: int) -> List[list]:
    """Consecutive batches of at most ``batch_size``, as even as possible (9 tiles by 4: 3+3+3, not
    4+4+1: a lone last tile runs much slower per tile on a CPU)."""
    n = len(items)
    if not n:
        return []
    count = -(-n // max(1, batch_size))
    base, extra = divmod(n, count)
    out, start = [], 0
    for i in range(count):
        size = base + (1 if i < extra else 0)
        out.append(list(items[start:start + size]))
        start += size
    return out


class ChangeMapRun:
    """One execution of a plan: reader thread -> model (this thread) -> stitch/write thread."""

    def __init__(self, plan: ChangeMapPlan, load_runner: Callable[[], PlanauraRunner], outputs: ChangeMapFiles,
                 fb: Feedback) -> None:
        self.plan, self.load_runner, self.out, self.fb = plan, load_runner, outputs, fb
        self.stop = threading.Event()
        order = sorted(((t.row, k, t.col, t) for k, tiles in enumerate(plan.passes) for t in tiles),
                       key=lambda x: x[:3])
        self.order = [x[3] for x in order]
        self.batches = balanced_batches(self.order, run_batch_size(plan, fb))
        # per pass: the row a tile's successor starts at, to know which rows are final
        self.next_row: Dict[Tuple[int, Tile], Tuple[int, int]] = {}
        for k, tiles in enumerate(plan.passes):
            for i, tile in enumerate(tiles):
                nxt = tiles[i + 1] if i + 1 < len(tiles) else None
                self.next_row[(k, tile)] = self._final_rows(nxt)
        self.map_stitch = [self._stitcher(plan.map_grid, self._map_layers()) for _ in plan.passes]
        self.map_merge = PassMerger(self.map_stitch, "cosine" if len(plan.passes) > 1 else None)
        self.infer_stitch: List[GridStitcher] = []
        if plan.infer_grid is not None:
            self.infer_stitch = [self._stitcher(plan.infer_grid, self._infer_layers()) for _ in plan.passes]
            ref = "cosine_ref" if len(plan.passes) > 1 else None
            self.infer_merge = PassMerger(self.infer_stitch, ref)
        # one batch waiting on each side of the model is enough to overlap reading and writing with it
        self.q_in: "queue.Queue" = queue.Queue(maxsize=1)
        self.q_out: "queue.Queue" = queue.Queue(maxsize=1)
        # model-input buffers handed back after the model call: a fresh 50 MB batch each time would
        # cost the reader the zeroing of its pages by the kernel
        self.free_inputs: "queue.Queue" = queue.Queue()
        self.input_buffers = 0

    def _final_rows(self, nxt: Optional[Tile]) -> Tuple[int, int]:
        """(map rows, reconstruction rows) final once the tile before ``nxt`` is pasted."""
        plan = self.plan
        mg, ig = plan.map_grid, plan.infer_grid
        if nxt is None:
            return mg.height, (ig.height if ig else 0)
        return mg.placement(nxt).row, (ig.placement(nxt).row if ig else 0)

    @staticmethod
    def _stitcher(grid: OutputGrid, layers: Mapping[str, LayerSpec]) -> GridStitcher:
        return GridStitcher(grid.width, grid.height, layers)

    def _map_layers(self) -> Dict[str, LayerSpec]:
        plan = self.plan
        layers: Dict[str, LayerSpec] = {}
        if plan.change:
            layers["cosine"] = LayerSpec(1, np.float32, NODATA)
            layers["which"] = LayerSpec(1, np.int32, DATE_NODATA)
        if plan.quality:
            for t in range(plan.frames):
                layers[f"fmask{t}"] = LayerSpec(1, np.uint8, FILL)
        for t in plan.kinds("feature_maps_"):
            layers[f"feat{t}"] = LayerSpec(len(plan.raster_channels), np.float32, NODATA)
        if plan.infer_grid is None:
            layers.update(self._rec_layers())
        return layers

    def _rec_layers(self) -> Dict[str, LayerSpec]:
        preset = self.plan.request.model.preset
        return {f"infer{t}": LayerSpec(len(preset.bands), np.float32, float(preset.no_data))
                for t in self.plan.kinds("infer_")}

    def _infer_layers(self) -> Dict[str, LayerSpec]:
        layers = self._rec_layers()
        if len(self.plan.passes) > 1:
            layers["cosine_ref"] = LayerSpec(1, np.float32, NODATA)
        return layers

    # -- reader thread -------------------------------------------------------------------------
    def _read_batches(self) -> None:
        plan = self.plan
        preset = plan.request.model.preset
        readers = date_readers(plan, with_fmask=plan.quality, memo_mode="use", normalised=True)
        T, S, C = plan.frames, plan.tile_size, len(preset.bands)
        shape = (max((len(b) for b in self.batches), default=0), C, T, S, S)  # the largest batch
        try:
            for batch in self.batches:
                if self.stop.is_set():
                    return
                buffer = self._input_buffer(shape)
                if buffer is None:
                    return
                x = buffer[:len(batch)]  # leading rows of a C-ordered array: contiguous
                codes = np.empty((len(batch), T, S, S), dtype=np.uint8) if plan.quality else None
                for b, tile in enumerate(batch):
                    for t, reader in enumerate(readers):
                        model_input = reader.read(tile.row, tile.col)  # normalised, once per row band
                        if model_input is None:  # the pre-pass kept it, so the file changed under us
                            raise InputError(_("{name} changed during the run").format(name=reader.info.name))
                        x[b, :, t] = model_input
                        if codes is not None:
                            codes[b, t] = reader.read_fmask(tile.row, tile.col)
                if not _put(self.q_in, (batch, x, codes, buffer), self.stop):
                    return
        finally:
            for r in readers:
                r.close()
            _put(self.q_in, _DONE, self.stop)

    def _input_buffer(self, shape: Tuple[int, ...]) -> Optional[np.ndarray]:
        """A model-input buffer: one handed back, or a new one while fewer than three exist (one being
        read, one waiting, one in the model); None when the run stops."""
        try:
            return self.free_inputs.get_nowait()
        except queue.Empty:
            pass
        if self.input_buffers < 3:
            self.input_buffers += 1
            return np.empty(shape, dtype=np.float32)
        item = _get(self.free_inputs, self.stop)
        return None if item is _DONE else item

    # -- stitch/write thread -------------------------------------------------------------------
    def _stitch_and_write(self) -> None:
        plan = self.plan
        pass_of = {}
        for k, tiles in enumerate(plan.passes):
            for tile in tiles:
                pass_of[tile] = k
        workers = map_workers()
        threads = ThreadPoolExecutor(workers, thread_name_prefix="planaura-maps") if workers > 1 else None
        with threads if threads is not None else nullcontext() as pool:
            while True:
                item = _get(self.q_out, self.stop)
                if item is _DONE:
                    break
                self._stitch_batch(item, pass_of, pool, workers)
        if self.stop.is_set():
            return
        for k, st in enumerate(self.map_stitch):  # passes with no tile left: everything is final
            self._advance(st, self.map_merge, k, plan.map_grid.height, self.out.write_map_rows)
        infer_height = plan.infer_grid.height if plan.infer_grid is not None else 0
        for k, st in enumerate(self.infer_stitch):
            self._advance(st, self.infer_merge, k, infer_height, self.out.write_infer_rows)
        self.out.finish()

    def _stitch_batch(self, item, pass_of: Mapping[Tile, int], pool, workers: int) -> None:
        """Paste one batch's tiles in order, their maps computed ahead by ``pool`` (tile_workers.py)."""
        plan = self.plan
        batch, out, codes = item

        def maps_of(b: int):
            return tile_maps(plan, out, b, None if codes is None else codes[b])

        pieces = ordered_map(pool, maps_of, len(batch), workers)
        for b, (tile, (maps, infer)) in enumerate(zip(batch, pieces)):
            k = pass_of[tile]
            map_until, infer_until = self.next_row[(k, tile)]
            self.map_stitch[k].paste(plan.map_grid.placement(tile), maps)
            self._advance(self.map_stitch[k], self.map_merge, k, map_until, self.out.write_map_rows)
            if self.infer_stitch and plan.infer_grid is not None:  # stitchers exist for that grid only
                self.infer_stitch[k].paste(plan.infer_grid.placement(tile), infer)
                self._advance(self.infer_stitch[k], self.infer_merge, k, infer_until,
                              self.out.write_infer_rows)
            if k == 0 and self.out.tables:
                for t, writer in self.out.tables.items():
                    writer.append(*table_rows(plan, tile, out.features[b, t]))

    @staticmethod
    def _advance(stitcher: GridStitcher, merger: PassMerger, k: int, until: int,
                 write: Callable[[Mapping[str, np.ndarray]], None]) -> None:
        if until <= stitcher.top:
            return
        _start, rows = stitcher.emit(until)
        merger.feed(k, rows)
        _s, merged = merger.take()
        if merged:
            write(merged)

    # -- main thread: the model ------------------------------------------------------------------
    def _within_batch(self, i: int, n: int) -> Callable[[float], None]:
        """The model's step callback for batch ``i`` of ``n``: a cancel check and a progress bar that
        moves inside the batch (issue 27: a cancel stops within seconds, not at the end of a batch)."""
        fb = self.fb
        message = _("tile batch {n} of {m}").format(n=i + 1, m=n)

        def step(fraction: float) -> None:
            fb.check_cancelled()
            fb.progress(PREPASS_SHARE + (1 - PREPASS_SHARE) * 0.98 * (i + fraction) / n, message)
        return step

    def execute(self) -> None:
        plan, fb = self.plan, self.fb
        reader = _Worker("planaura-reader", self._read_batches)
        writer = _Worker("planaura-writer", self._stitch_and_write)
        reader.start()  # the first batch is read while the network loads
        writer.start()
        n = len(self.batches)
        rec_frames = sorted(plan.kinds("infer_"))
        want_rec = bool(rec_frames)
        try:
            self.runner = self.load_runner()
            for i in range(n):
                fb.check_cancelled()
                item = _get(self.q_in, self.stop, reader)
                if item is _DONE:
                    break
                batch, x, codes, buffer = item
                out = self.runner.infer(x, feature_channels=plan.model_channels, reconstruction=want_rec,
                                        change=plan.change, step=self._within_batch(i, n))
                del x
                self.free_inputs.put(buffer)  # the outputs are the model's own arrays
                if want_rec and len(rec_frames) < plan.frames:  # keep only the frames to write
                    assert out.reconstruction is not None  # asked for
                    out.reconstruction = np.ascontiguousarray(out.reconstruction[:, :, rec_frames])
                if writer.error is not None:
                    break
                if not _put(self.q_out, (batch, out, codes), self.stop, writer):
                    break
                fb.progress(PREPASS_SHARE + (1 - PREPASS_SHARE) * 0.98 * (i + 1) / n,
                            _("tile batch {n} of {m}").format(n=i + 1, m=n))
            for w in (reader, writer):
                if w.error is not None:
                    raise w.error
            _put(self.q_out, _DONE, self.stop, writer)
            writer.join()
            if writer.error is not None:
                raise writer.error
            if reader.error is not None:
                raise reader.error
        except BaseException:
            self.stop.set()
            for w in (reader, writer):
                w.join(timeout=60)
            self.out.close_tables()
            raise
