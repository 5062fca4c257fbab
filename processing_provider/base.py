"""What every Planaura algorithm shares: model/device parameters, feedback, errors, outputs.

The algorithms stay thin: they read parameters, build a request of the core
(``planaura_plugin.pipeline.requests``), call the core inside :meth:`PlanauraAlgorithm.core_errors`
and hand the written files to :meth:`PlanauraAlgorithm.publish_outputs` (style sidecars, layer
names, results dict).

Modules: :mod:`.algorithm_common` (constants, translation, settings defaults, YAML), :mod:`.feedback_adapter`,
:mod:`.layer_publishing` (post-processors, layer names and order), :mod:`.layer_sources` (the GDAL dataset of a layer).

Parameter keys and labels are declared together as class constants (``P_X, _X = 'X', label``);
labels are marked with ``QT_TRANSLATE_NOOP`` under the class's translation context so that
pylupdate5 extracts them, and :meth:`PlanauraAlgorithm.tr` translates them at run time.
Nothing here touches ``iface``; torch and the pipeline are imported only when an algorithm runs.
"""
from __future__ import annotations

import contextlib
import os
import re
import sys
import traceback
from dataclasses import replace
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Tuple

from qgis.core import (
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFile,
    QgsProcessingParameterNumber,
    QgsSettings,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from qgis.PyQt.QtGui import QIcon

from ..planaura_plugin.errors import Cancelled, MissingDependencyError, PlanauraError
from ..planaura_plugin.products import DEFAULT_CLASS_THRESHOLDS
from ..plugin_services import settings_keys
from ..plugin_services.last_error import record_error
from . import styles
from .algorithm_common import (BASE_CONTEXT, GROUP_CHANGE, GROUP_CONFIG, GROUP_EMBEDDINGS, ICON_DIR,
                               MODEL_CUSTOM, MODEL_HLS, MODEL_S2, MODEL_S2_SENEGAL, PLUGIN_DIR, PLUGIN_ICON,
                               STRIDE_DENSE, STRIDE_FAST, STRIDES, group_name, install_hint, missing_package_hint,
                               model_config_spec, read_run_defaults, require_torch, translate)
from .feedback_adapter import ProcessingFeedbackAdapter
from .layer_publishing import (OutputSpec, StyledLayerPostProcessor, date_period, keep_below_main,
                               keep_post_processor, single_date, unique_layer_name, written_dates)
from .layer_sources import gdal_name, layer_dataset, load_dataset_strings


class PlanauraAlgorithm(QgsProcessingAlgorithm):
    """Base class: shared parameters, translation, feedback, error mapping and outputs."""

    TR_CONTEXT = BASE_CONTEXT
    GROUP_ID = GROUP_CHANGE
    ICON = "planaura.svg"

    # model and device parameters shared by the model-running algorithms
    P_MODEL, _MODEL = "MODEL", QT_TRANSLATE_NOOP("PlanauraAlgorithm", "Model")
    P_CHECKPOINT, _CHECKPOINT = "CHECKPOINT", QT_TRANSLATE_NOOP("PlanauraAlgorithm",
                                                                "Checkpoint file (overrides the download)")
    P_MODEL_CONFIG, _MODEL_CONFIG = "MODEL_CONFIG", QT_TRANSLATE_NOOP("PlanauraAlgorithm",
                                                                      "Model configuration (upstream YAML)")
    P_STRIDE, _STRIDE = "STRIDE", QT_TRANSLATE_NOOP("PlanauraAlgorithm", "Patch stride")
    P_UPSAMPLE, _UPSAMPLE = "UPSAMPLE", QT_TRANSLATE_NOOP("PlanauraAlgorithm",
                                                          "Upsample to the input resolution (fast mode)")
    P_DEVICE, _DEVICE = "DEVICE", QT_TRANSLATE_NOOP("PlanauraAlgorithm", "Device")
    P_HALF_PRECISION, _HALF_PRECISION = "HALF_PRECISION", QT_TRANSLATE_NOOP(
        "PlanauraAlgorithm", "Half precision (float16, GPU only)")
    P_PRECISION, _PRECISION = "PRECISION", QT_TRANSLATE_NOOP(
        "PlanauraAlgorithm", "Precision (default: half precision above)")
    PRECISIONS = ("default", *settings_keys.PRECISIONS)  # the core's list; bfloat16/int8 also on a CPU
    P_BATCH_SIZE, _BATCH_SIZE = "BATCH_SIZE", QT_TRANSLATE_NOOP("PlanauraAlgorithm", "Batch size (tiles per step)")
    P_EXTENT, _EXTENT = "EXTENT", QT_TRANSLATE_NOOP("PlanauraAlgorithm", "Area of interest")
    P_EMBEDDINGS, _EMBEDDINGS = "EMBEDDINGS", QT_TRANSLATE_NOOP(
        "PlanauraAlgorithm", "Embedding dimensions (e.g. 0,5,17; empty = all)")

    # ---- identity -------------------------------------------------------------------------
    def tr(self, text: str) -> str:
        """Translate ``text`` in this class's fixed context."""
        return QCoreApplication.translate(self.TR_CONTEXT, text)

    def btr(self, text: str) -> str:
        """Translate a string declared in this base class (context ``PlanauraAlgorithm``)."""
        return QCoreApplication.translate(BASE_CONTEXT, text)

    def createInstance(self):  # noqa: N802 - QGIS API
        return type(self)()

    def group(self) -> str:
        return group_name(self.GROUP_ID)

    def groupId(self) -> str:  # noqa: N802 - QGIS API
        return self.GROUP_ID

    def icon(self) -> QIcon:
        return QIcon(self.svgIconPath())

    def svgIconPath(self) -> str:  # noqa: N802 - QGIS API
        path = os.path.join(ICON_DIR, self.ICON)
        return path if os.path.exists(path) else PLUGIN_ICON

    def helpUrl(self) -> str:  # noqa: N802 - QGIS API
        """The algorithm's README section, in the language of the core's messages (help_links)."""
        from ..planaura_plugin.i18n import language
        from .help_links import help_url

        return help_url(self.name(), language())

    def flags(self):
        # runs in a background task, can be cancelled; no batch restriction
        return super().flags() | QgsProcessingAlgorithm.FlagCanCancel

    # ---- help text --------------------------------------------------------------------------
    def help_html(self, intro: str, parameters: Sequence[Tuple[str, str]], outputs: Sequence[Tuple[str, str]],
                  weights: bool = True) -> str:
        """Help as HTML: what it does, each parameter, which weights, what the outputs mean."""
        headings = (translate("PlanauraAlgorithm", "Parameters"),
                    translate("PlanauraAlgorithm", "Weights"),
                    translate("PlanauraAlgorithm", "Outputs"))
        from html import escape  # texts are plain: "fmask_<image name>" must stay visible

        parts = [f"<p>{escape(intro)}</p>", f"<h3>{escape(headings[0])}</h3><dl>"]
        parts += [f"<dt><b>{escape(label)}</b></dt><dd>{escape(text)}</dd>" for label, text in parameters]
        parts.append("</dl>")
        if weights:
            parts.append(f"<h3>{escape(headings[1])}</h3><p>{escape(self.weights_help())}</p>")
        parts.append(f"<h3>{escape(headings[2])}</h3><dl>")
        parts += [f"<dt><b>{escape(label)}</b></dt><dd>{escape(text)}</dd>" for label, text in outputs]
        parts.append("</dl>")
        return "".join(parts)

    def weights_help(self) -> str:
        return translate("PlanauraAlgorithm",
            "Planaura-1.0-HLS expects HLS surface reflectance (int16 x 10000, nodata -9999) and "
            "Planaura-1.0-S2 Sentinel-2 L2A (uint16, nodata 0), both with the 6 bands B02, B03, B04, "
            "B8A, B11, B12 in this order. The weights (about 450 MB each, from the Hugging Face "
            "repository NRCan/Planaura-1.0) are taken from, in this order: the checkpoint file "
            "parameter, the checkpoint path set in Plugins > Planaura > Settings, the Hugging Face "
            "cache, a download. A custom checkpoint needs a model configuration (upstream YAML) "
            "whose model_params give its architecture, bands, nodata, data_mean and data_std.")

    def model_parameters_help(self) -> List[Tuple[str, str]]:
        return [
            (self.btr(self._MODEL), translate("PlanauraAlgorithm",
                "Which Planaura model: Planaura-1.0-HLS (HLS imagery), Planaura-1.0-S2 (Sentinel-2 L2A), "
                "Planaura-1.0-S2-Senegal (Sentinel-2 L2A, statistics of Senegal, nodata -9999) or a custom "
                "checkpoint (give the checkpoint file and, for another architecture or statistics, the "
                "model configuration).")),
            (self.btr(self._CHECKPOINT), translate("PlanauraAlgorithm",
                "A local .pth checkpoint used instead of the published weights.")),
            (self.btr(self._MODEL_CONFIG), translate("PlanauraAlgorithm",
                "An upstream Planaura YAML: its model_params give the architecture, bands, no_data, "
                "data_mean and data_std; its change_map.date_regex is the default date regex.")),
        ]

    def device_parameters_help(self) -> List[Tuple[str, str]]:
        return [
            (self.btr(self._DEVICE), translate("PlanauraAlgorithm",
                "auto uses a CUDA GPU when torch sees one, else the CPU. Default from the plugin settings.")),
            (self.btr(self._HALF_PRECISION), translate("PlanauraAlgorithm",
                "float16 inference on a GPU: about twice as fast, results differ slightly. Ignored on the CPU.")),
            (self.btr(self._PRECISION), translate("PlanauraAlgorithm",
                "float32 gives the reference numbers. bfloat16 (GPU, or a CPU with AVX-512 BF16/AMX) and int8 "
                "(CPU only) are faster; the README lists how far they differ. default: as half precision says.")),
            (self.btr(self._BATCH_SIZE), translate("PlanauraAlgorithm",
                "Tiles per model call; lower it when the GPU runs out of memory.")),
        ]

    def stride_parameters_help(self) -> List[Tuple[str, str]]:
        return [
            (self.btr(self._STRIDE), translate("PlanauraAlgorithm",
                "16 px (fast): one feature per 16 x 16 patch. 1 px (dense): one feature per pixel, "
                "256 times the work (use a GPU).")),
            (self.btr(self._UPSAMPLE), translate("PlanauraAlgorithm",
                "In fast mode, resample the 16 px map to the input pixels with cubic splines "
                "(upstream's upsample_cosine_map); otherwise the map has 16 times larger pixels.")),
        ]

    # ---- shared parameters ----------------------------------------------------------------
    def add_model_parameters(self) -> None:
        self.addParameter(QgsProcessingParameterEnum(
            self.P_MODEL, self.btr(self._MODEL),
            options=["Planaura-1.0-HLS", "Planaura-1.0-S2", translate("PlanauraAlgorithm", "Custom checkpoint"),
                     "Planaura-1.0-S2-Senegal"],
            defaultValue=MODEL_HLS))
        self.addParameter(QgsProcessingParameterFile(
            self.P_CHECKPOINT, self.btr(self._CHECKPOINT), behavior=QgsProcessingParameterFile.File,
            fileFilter=translate("PlanauraAlgorithm", "PyTorch checkpoints (*.pth *.pt *.ckpt);;All files (*)"),
            optional=True))
        self.addParameter(QgsProcessingParameterFile(
            self.P_MODEL_CONFIG, self.btr(self._MODEL_CONFIG), behavior=QgsProcessingParameterFile.File,
            fileFilter=translate("PlanauraAlgorithm", "YAML files (*.yaml *.yml);;All files (*)"), optional=True))

    def add_stride_parameters(self) -> None:
        self.addParameter(QgsProcessingParameterEnum(
            self.P_STRIDE, self.btr(self._STRIDE),
            options=[translate("PlanauraAlgorithm", "16 px (fast)"), translate("PlanauraAlgorithm", "1 px (dense)")],
            defaultValue=STRIDE_FAST))
        self.addParameter(QgsProcessingParameterBoolean(self.P_UPSAMPLE, self.btr(self._UPSAMPLE), defaultValue=True))

    def add_device_parameters(self) -> None:
        defaults = read_run_defaults()
        self.addParameter(QgsProcessingParameterEnum(
            self.P_DEVICE, self.btr(self._DEVICE),
            options=[translate("PlanauraAlgorithm", "auto"), translate("PlanauraAlgorithm", "cpu"),
                     translate("PlanauraAlgorithm", "cuda")]
            + ([translate("PlanauraAlgorithm", "mps (Apple GPU)")] if sys.platform == "darwin" else []),
            defaultValue=settings_keys.DEVICES.index(defaults["device"])))
        half = QgsProcessingParameterBoolean(self.P_HALF_PRECISION, self.btr(self._HALF_PRECISION),
                                             defaultValue=defaults["half_precision"])
        batch = QgsProcessingParameterNumber(self.P_BATCH_SIZE, self.btr(self._BATCH_SIZE),
                                             type=QgsProcessingParameterNumber.Integer,
                                             defaultValue=defaults["batch_size"], minValue=1, maxValue=1024)
        precision = QgsProcessingParameterEnum(self.P_PRECISION, self.btr(self._PRECISION),
                                               options=list(self.PRECISIONS), defaultValue=0)
        for p in (half, precision, batch):
            self.advanced(p)

    def advanced(self, parameter: QgsProcessingParameterDefinition) -> None:
        parameter.setFlags(parameter.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        self.addParameter(parameter)

    # ---- reading parameters ---------------------------------------------------------------
    def checkParameterValues(self, parameters: Dict[str, Any], context):  # noqa: N802 - QGIS API
        """QGIS's check, after image parameters given as text QGIS cannot load by itself (a ``/vsizip/``
        member, a Sentinel-2 product) were made layers (:func:`load_dataset_strings`)."""
        load_dataset_strings(self.parameterDefinitions(), parameters, context)
        return super().checkParameterValues(parameters, context)

    def raster_path(self, parameters: Dict[str, Any], name: str, context: QgsProcessingContext,
                    label: str, optional: bool = False) -> Optional[str]:
        """The GDAL dataset name of a raster parameter (see :func:`layer_dataset`).

        Args:
            parameters: the algorithm's parameters.
            name: the parameter's key.
            context: the processing context.
            label: the parameter's label, for messages.
            optional: return None instead of failing when no layer is given.

        Returns:
            The exact string GDAL opens, or None for an optional parameter left empty.

        Raises:
            QgsProcessingException: no usable layer, a non-GDAL layer, or a dataset that is not there.
        """
        layer = self.parameterAsRasterLayer(parameters, name, context)
        if layer is None:
            given = parameters.get(name)
            if optional and given in (None, ""):
                return None
            if isinstance(given, str) and given:
                raise QgsProcessingException(translate(
                    "PlanauraAlgorithm", "{0}: QGIS cannot load '{1}' as a raster layer; check that the file "
                    "exists and that GDAL reads it.").format(label, given))
            if optional:
                return None
            raise QgsProcessingException(translate(
                "PlanauraAlgorithm", "{0}: no raster layer given or it cannot be opened.").format(label))
        return layer_dataset(layer, label)

    def raster_paths(self, parameters: Dict[str, Any], name: str, context: QgsProcessingContext,
                     label: str) -> List[str]:
        """GDAL dataset names of a multiple-raster parameter, in the given order."""
        layers = self.parameterAsLayerList(parameters, name, context) or []
        return [layer_dataset(layer, label) for layer in layers]

    def parameterAsOutputLayer(self, parameters, name, context):  # noqa: N802 - QGIS API
        """QGIS's destination of ``name``, remembered as one this run was asked to write: only those
        may be dropped from the layers to load (a model's context also holds other children's outputs)."""
        path = super().parameterAsOutputLayer(parameters, name, context)
        if path:
            self.__dict__.setdefault("_asked_destinations", set()).add(os.path.realpath(path.split("|")[0]))
        return path

    def output_path(self, parameters: Dict[str, Any], name: str, context: QgsProcessingContext) -> Optional[str]:
        """The GeoTIFF path of a raster destination, or None when it is not asked for."""
        path = self.parameterAsOutputLayer(parameters, name, context)
        if not path:
            return None
        if os.path.splitext(path)[1].lower() not in (".tif", ".tiff"):
            raise QgsProcessingException(translate("PlanauraAlgorithm",
                "{0}: Planaura writes GeoTIFF files; give a file name ending in .tif ({1}).").format(name, path))
        return path

    def file_output_path(self, parameters: Dict[str, Any], name: str,
                         context: QgsProcessingContext) -> Optional[str]:
        path = self.parameterAsFileOutput(parameters, name, context)
        return path or None

    def parse_dimensions(self, text: str, width: Optional[int] = None) -> Optional[List[int]]:
        """'0,5,17' or '0-3,10' -> [0, 5, 17]; empty -> None (all dimensions)."""
        text = (text or "").strip()
        if not text:
            return None
        dims: List[int] = []
        try:
            for part in text.replace(";", ",").replace(" ", ",").split(","):
                if not part:
                    continue
                if "-" in part[1:]:
                    lo, hi = part.split("-", 1)
                    dims.extend(range(int(lo), int(hi) + 1))
                else:
                    dims.append(int(part))
        except ValueError as exc:
            raise QgsProcessingException(translate("PlanauraAlgorithm",
                "Embedding dimensions: '{0}' is not a list of integers such as 0,5,17 or 0-15.").format(text)) from exc
        bad = [d for d in dims if d < 0 or (width is not None and d >= width)]
        if bad:
            raise QgsProcessingException(translate("PlanauraAlgorithm",
                "Embedding dimensions {0} are outside 0 to {1}.").format(bad, (width or 1) - 1))
        return list(dict.fromkeys(dims))

    def run_settings(self, parameters: Dict[str, Any], context: QgsProcessingContext) -> Dict[str, Any]:
        device = settings_keys.DEVICES[self.parameterAsEnum(parameters, self.P_DEVICE, context)]
        return {
            "device": device,
            "half": self.parameterAsBoolean(parameters, self.P_HALF_PRECISION, context),
            "precision": self.PRECISIONS[self.parameterAsEnum(parameters, self.P_PRECISION, context)],
            "batch_size": max(1, self.parameterAsInt(parameters, self.P_BATCH_SIZE, context)),
        }

    def model_spec(self, parameters: Dict[str, Any], context: QgsProcessingContext, feedback, num_frames: int,
                   patch_stride: int, static: bool = False):
        """The core's ModelSpec for this run, and the date regex: model, weights, device, precision.

        Weights: CHECKPOINT, else the YAML's local checkpoint_path, else the path in the plugin
        settings (``planaura/checkpoint/<model>``), else the Hugging Face cache or a download.
        """
        from ..planaura_plugin.model.config import ModelConfig
        from ..planaura_plugin.model.loading import ModelSpec
        from ..planaura_plugin.presets import HLS, S2, S2_SENEGAL

        choice = self.parameterAsEnum(parameters, self.P_MODEL, context)
        base_preset = {MODEL_HLS: HLS, MODEL_S2: S2, MODEL_S2_SENEGAL: S2_SENEGAL}.get(choice, HLS)
        checkpoint = (self.parameterAsFile(parameters, self.P_CHECKPOINT, context) or "").strip()
        config_path = (self.parameterAsFile(parameters, self.P_MODEL_CONFIG, context) or "").strip()
        if config_path:
            spec = model_config_spec(config_path, base_preset)
        else:
            spec = ModelSpec(preset=base_preset, config=ModelConfig())

        if choice == MODEL_CUSTOM and not checkpoint and not spec.checkpoint:
            raise QgsProcessingException(translate("PlanauraAlgorithm",
                "A custom model needs a checkpoint file: set 'Checkpoint file' (or checkpoint_path in the "
                "model configuration)."))
        if not checkpoint and not spec.checkpoint and choice != MODEL_CUSTOM:
            checkpoint = QgsSettings().value(settings_keys.checkpoint_key(spec.preset.name), "", type=str) or ""
            if checkpoint and not os.path.isfile(checkpoint):
                feedback.pushWarning(translate("PlanauraAlgorithm",
                    "The checkpoint set in the plugin settings for {0} does not exist ({1}); "
                    "using the Hugging Face cache.").format(spec.preset.name, checkpoint))
                checkpoint = ""
        if checkpoint:
            if not os.path.isfile(checkpoint):
                raise QgsProcessingException(translate(
                    "PlanauraAlgorithm", "The checkpoint file {0} does not exist.").format(checkpoint))
            spec = replace(spec, checkpoint=checkpoint)
        hf_cache = QgsSettings().value(settings_keys.HF_CACHE_DIR, "", type=str) or None
        if hf_cache and not spec.hf_cache_dir:
            spec = replace(spec, hf_cache_dir=hf_cache)

        run = self.run_settings(parameters, context)
        config = spec.config.with_(num_frames=num_frames, patch_stride=patch_stride)
        if static:
            config = config.with_(keep_pos_embedding=False)  # upstream's rule for one frame
        spec = replace(spec, config=config, device=run["device"], batch_size=run["batch_size"],
                       precision=run["precision"] if run["precision"] != "default" else
                       settings_keys.default_precision(run["half"], str(QgsSettings().value(
                           settings_keys.PRECISION, "") or "")))
        return spec, spec.preset.date_regex

    def resolve_weights(self, spec, feedback: QgsProcessingFeedback):
        """Fetch or find the checkpoint (so the log says which weights ran) and pick the device."""
        from ..planaura_plugin.model.inference import resolve_device
        from ..planaura_plugin.model.precision import resolve_precision

        if not spec.checkpoint:
            feedback.pushInfo(QCoreApplication.translate(
                "PlanauraAlgorithm", "Looking for {0} in the Hugging Face cache (repository {1}); it is downloaded "
                "(about 450 MB) when missing.").format(spec.preset.checkpoint_file, spec.repo_id))
        path = spec.checkpoint_path()
        feedback.pushInfo(translate("PlanauraAlgorithm", "Model {0}, weights {1}").format(
            model_label(spec), path))
        try:
            device = resolve_device(spec.device)
        except RuntimeError as exc:  # cuda asked for without a usable GPU
            raise QgsProcessingException(str(exc)) from exc
        precision, note = resolve_precision(spec.precision, device)  # the core's one rule (model/precision.py)
        if note:
            (feedback.pushWarning if precision != spec.precision else feedback.pushInfo)(note)
        feedback.pushInfo(translate("PlanauraAlgorithm", "Device {0}, precision {1}, batch size {2}").format(
            device, precision, spec.batch_size))
        return replace(spec, checkpoint=str(path), device=device, precision=precision)

    def check_input(self, path: str, spec, label: str, bands: Optional[Sequence[int]] = None) -> None:
        """Fail before any model work when an image cannot give the model its bands in its units.

        The core's one rule (:func:`planaura_plugin.inputs.sources.describe_input`): imagery as
        distributed (HLS granule files, Sentinel-2 products), band mapping (explicit numbers,
        band names, alpha bands), scale and offsets.

        Args:
            path: the image's GDAL dataset name.
            spec: the run's ModelSpec (its preset).
            label: the parameter's label, for messages.
            bands: explicit band numbers (model order) or None.

        Raises:
            QgsProcessingException: the core's message, after the parameter's label.
        """
        from ..planaura_plugin.errors import InputError
        from ..planaura_plugin.inputs.sources import describe_input

        try:
            describe_input(path, spec.preset, bands)
        except InputError as exc:
            raise QgsProcessingException(f"{label}: {exc}") from exc

    def band_choice(self, parameters: Dict[str, Any], name: str, context: QgsProcessingContext) -> Optional[List[int]]:
        """Band numbers chosen in a band parameter (model order), or None when none were.

        A string value (qgis_process, Python) may list them with commas, semicolons or spaces
        ("2,3,4,9,12,13"); QGIS's own parsing of a multiple band parameter splits on ";" only.
        """
        value = parameters.get(name)
        if isinstance(value, str):
            parts = [p for p in re.split(r"[,;\s]+", value.strip()) if p]
            try:
                chosen = [int(p) for p in parts]
            except ValueError:
                raise QgsProcessingException(translate("PlanauraAlgorithm",
                    "{0}: '{1}' is not a list of band numbers such as 2,3,4,9,12,13.").format(name, value)) from None
        else:
            chosen = [int(b) for b in (self.parameterAsInts(parameters, name, context) or [])]
        chosen = [b for b in chosen if b > 0]
        return chosen or None

    # ---- running the core -------------------------------------------------------------------
    @contextlib.contextmanager
    def core_errors(self, feedback: Optional[QgsProcessingFeedback]) -> Iterator[None]:
        """Turn the core's errors into QgsProcessingException with the core's message (kept as the last
        error for Settings ▸ Copy diagnostics)."""
        try:
            with self._converted_errors(feedback):
                yield
        except QgsProcessingException as exc:
            if not isinstance(exc.__cause__, Cancelled):
                record_error(self.displayName(), str(exc))
            raise

    @contextlib.contextmanager
    def _converted_errors(self, feedback: Optional[QgsProcessingFeedback]) -> Iterator[None]:
        try:
            yield
        except QgsProcessingException:
            raise
        except Cancelled as exc:
            raise QgsProcessingException(translate("PlanauraAlgorithm", "Cancelled: no output was written.")) from exc
        except MissingDependencyError as exc:
            raise QgsProcessingException(f"{exc} {missing_package_hint(exc)}") from exc
        except PlanauraError as exc:
            raise QgsProcessingException(str(exc)) from exc
        except ImportError as exc:
            raise QgsProcessingException(translate("PlanauraAlgorithm", "A Python package is missing: {0}.").format(exc)
                                         + " " + install_hint()) from exc
        except MemoryError as exc:
            raise QgsProcessingException(translate("PlanauraAlgorithm",
                "Out of memory: lower the batch size or process a smaller area.")) from exc
        except Exception as exc:  # noqa: BLE001 - every failure must reach the user as a message
            if feedback is not None:
                feedback.pushDebugInfo(traceback.format_exc())
            raise QgsProcessingException(f"{type(exc).__name__}: {exc}") from exc

    def run_core(self, job: Callable[..., Dict[str, str]], request, feedback) -> Dict[str, str]:
        """Run a pipeline function with the adapted feedback; returns kind -> written path."""
        adapter = ProcessingFeedbackAdapter(feedback)
        self.core_warnings = adapter.warnings
        with self.core_errors(feedback):
            written = job(request, adapter)  # the core raises Cancelled itself, outputs removed
        return dict(written or {})

    def nothing_written(self, message: str) -> QgsProcessingException:
        """The error of a run that wrote nothing, with the core's last warning (which says why)."""
        why = getattr(self, "core_warnings", None)
        return QgsProcessingException(message + (f" {why[-1]}" if why else ""))

    # ---- publishing outputs -----------------------------------------------------------------
    def publish_outputs(self, written: Dict[str, str], specs: Dict[str, OutputSpec], context: QgsProcessingContext,
                        feedback, thresholds: Sequence[float] = DEFAULT_CLASS_THRESHOLDS) -> Dict[str, Any]:
        """Write style sidecars, name and style the layers QGIS loads, build the results dict."""
        results: Dict[str, Any] = {}
        self.forget_unwritten(written, specs, context)
        main = next((written.get(k, "") for k, s in specs.items() if not s.companion and written.get(k)), "")
        companions = [written[k] for k, s in specs.items() if s.companion and written.get(k)]
        for kind, spec in specs.items():
            path = written.get(kind)
            if not path:
                continue
            results[spec.parameter] = path
            try:
                styles.write_sidecar(path, spec.style, thresholds)
            except Exception as exc:  # noqa: BLE001 - a missing style must not lose the result
                feedback.pushWarning(translate("PlanauraAlgorithm", "No style written for {0}: {1}").format(path, exc))
            if context.willLoadLayerOnCompletion(path):
                details = context.layerToLoadOnCompletionDetails(path)
                name = spec.layer_name
                if self.name_was_given(details, spec.parameter):
                    name = ""  # a model output's or a batch row's name: QGIS applies it, we keep it
                else:
                    # QGIS applies it unless the user prefers file names (Processing > General);
                    # forceName stays as it was
                    details.name = name
                processor = StyledLayerPostProcessor(name, spec.style, thresholds, visible=not spec.companion,
                                                     main=main, companions=companions)
                details.setPostProcessor(keep_post_processor(processor))
        return results

    def name_was_given(self, details: QgsProcessingContext.LayerDetails, parameter: str) -> bool:
        """Whether the layer name in ``details`` was chosen by the user (a model output name, a batch
        row's name) rather than QGIS's default, the output's description."""
        definition = self.parameterDefinition(parameter)
        default = definition.description() if definition is not None else ""
        return bool(details.name) and details.name not in (default, parameter)

    def forget_unwritten(self, written: Dict[str, str], specs: Dict[str, OutputSpec],
                         context: QgsProcessingContext) -> None:
        """Drop this algorithm's outputs that were not written (optional outputs left empty, outputs a
        run had nothing for) from the layers QGIS loads, so it does not report them as not generated.

        Only the destinations this run evaluated are candidates: in a model the context also holds the
        pending layers of earlier children, whose output names (``OUTPUT``...) may equal ours."""
        ours = {spec.parameter for spec in specs.values()}
        ours.update(d.name() for d in self.destinationParameterDefinitions())
        asked = self.__dict__.get("_asked_destinations", set())
        done = {os.path.realpath(p) for p in written.values() if p}

        def unwritten(path: str, details) -> bool:
            if not path:  # an optional output left empty (a batch row)
                return details.outputName in ours
            return os.path.realpath(path) in asked and os.path.realpath(path) not in done

        layers = context.layersToLoadOnCompletion()
        keep = {path: details for path, details in layers.items() if not unwritten(path, details)}
        if len(keep) != len(layers):
            context.setLayersToLoadOnCompletion(keep)


def model_label(spec) -> str:
    """The model a log line names: the preset ('Planaura-1.0-HLS') for the official weights; for a local
    checkpoint, the architecture it was given, never the name of an official file it is not."""
    if not spec.checkpoint:
        return str(spec.preset.name)
    name = str(spec.preset.name)
    name = name[:-4] if name.lower().endswith(".pth") else name
    return translate("PlanauraAlgorithm", "local checkpoint ({0} architecture)").format(name)


__all__ = ["BASE_CONTEXT", "GROUP_CHANGE", "GROUP_CONFIG", "GROUP_EMBEDDINGS", "MODEL_CUSTOM", "MODEL_HLS", "MODEL_S2",
           "MODEL_S2_SENEGAL", "PLUGIN_DIR", "STRIDES", "STRIDE_DENSE", "STRIDE_FAST", "OutputSpec",
           "PlanauraAlgorithm", "ProcessingFeedbackAdapter", "StyledLayerPostProcessor", "date_period", "gdal_name",
           "install_hint", "keep_below_main", "keep_post_processor", "layer_dataset", "require_torch", "single_date",
           "translate", "unique_layer_name", "written_dates"]
