"""``planaura:runconfig``: run an upstream Planaura YAML (NRCan's infer_geotiff.py config) as is."""
from __future__ import annotations

import os
from typing import Any, Dict, List

from qgis.core import (
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingOutputFolder,
    QgsProcessingOutputMultipleLayers,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFile,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..planaura_plugin.products import DEFAULT_CLASS_THRESHOLDS
from . import styles
from .optional_packages import missing_package_message
from .base import (GROUP_CONFIG, PlanauraAlgorithm, ProcessingFeedbackAdapter, StyledLayerPostProcessor,
                   keep_post_processor, require_torch)
from .product_layers import kind_style

DEVICE_CHOICES = (None, "auto", "cpu", "cuda")  # None = the YAML's use_gpu


class RunConfigAlgorithm(PlanauraAlgorithm):
    """Upstream's YAML + CSV runner with QGIS progress and cancel."""

    TR_CONTEXT = "RunConfigAlgorithm"
    GROUP_ID = GROUP_CONFIG
    ICON = "runconfig.svg"

    P_CONFIG, _CONFIG = "CONFIG", QT_TRANSLATE_NOOP("RunConfigAlgorithm", "Planaura configuration (YAML)")
    P_WORKING_FOLDER, _WORKING_FOLDER = "WORKING_FOLDER", QT_TRANSLATE_NOOP(
        "RunConfigAlgorithm", "Folder that relative paths start from (default: the YAML's folder)")
    P_RUN_DEVICE, _RUN_DEVICE = "DEVICE", QT_TRANSLATE_NOOP("RunConfigAlgorithm", "Device")
    P_DRY_RUN, _DRY_RUN = "DRY_RUN", QT_TRANSLATE_NOOP("RunConfigAlgorithm",
                                                       "Only check the configuration and list what it would write")
    P_FORCE, _FORCE = "FORCE", QT_TRANSLATE_NOOP(
        "RunConfigAlgorithm", "Recompute every pair (also those unchanged since an earlier run)")
    P_SCHEDULER, _SCHEDULER = "SCHEDULER", QT_TRANSLATE_NOOP(
        "RunConfigAlgorithm", "Dask scheduler (local:N, tcp://HOST:PORT or a scheduler file; empty: this process)")
    P_OUTPUT_FOLDER, _OUTPUT_FOLDER = "OUTPUT_FOLDER", QT_TRANSLATE_NOOP("RunConfigAlgorithm", "Output folder")
    P_OUTPUT_LAYERS, _OUTPUT_LAYERS = "OUTPUT_LAYERS", QT_TRANSLATE_NOOP("RunConfigAlgorithm", "Rasters written")
    P_OUTPUT_FILES, _OUTPUT_FILES = "OUTPUT_FILES", QT_TRANSLATE_NOOP("RunConfigAlgorithm",
                                                                      "Files written (one per line)")

    def name(self) -> str:
        return "runconfig"

    def displayName(self) -> str:  # noqa: N802 - QGIS API
        return self.tr("Run Planaura configuration (YAML)")

    def shortDescription(self) -> str:  # noqa: N802 - QGIS API
        return self.tr("Run an upstream Planaura YAML and its CSV: same outputs, same names.")

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API
        intro = self.tr(
            "Runs a configuration of NRCan's Planaura reference scripts (the YAML of infer_geotiff.py with its "
            "CSV of image pairs) with this plugin's engine: the change maps, embeddings, reconstructions and the "
            "persistence mosaic are written with upstream's file names into upstream's folders. The whole "
            "configuration is checked (unknown keys, types, missing files, outputs that would overwrite inputs) "
            "before any model work.")
        params = [
            (self.tr(self._CONFIG), self.tr("The YAML file.")),
            (self.tr(self._WORKING_FOLDER), self.tr(
                "Upstream resolves the paths of the YAML and the CSV from the current folder; in QGIS they start "
                "from this folder, by default the YAML's.")),
            (self.tr(self._RUN_DEVICE), self.tr(
                "'From the configuration' follows its use_gpu key; otherwise auto, cpu or cuda.")),
            (self.tr(self._DRY_RUN), self.tr("Write nothing; log the plan (inputs, outputs, model).")),
            (self.tr(self._FORCE), self.tr(
                "Ignore the run manifest: compute every pair and the mosaic again (the command line's --force).")),
            (self.tr(self._SCHEDULER), self.tr(
                "Empty: the pairs run one after another in QGIS. local:N starts N worker processes on this "
                "computer; tcp://HOST:PORT or a scheduler file (.json) uses a running Dask cluster (a workstation "
                "with several GPUs, an HPC cluster). Needs the Python packages dask and distributed.")),
        ]
        outputs = [
            (self.tr(self._OUTPUT_FOLDER), self.tr("The save folder of the first frame (where the change maps "
                                                   "and the mosaic go).")),
            (self.tr(self._OUTPUT_LAYERS), self.tr("Every GeoTIFF written, each with a .qml style beside it.")),
            (self.tr(self._OUTPUT_FILES), self.tr("Every file written, including feature tables.")),
        ]
        # weights=False: the shared weights text describes the other algorithms' model parameters
        return self.help_html(intro, params, outputs, weights=False) + "<p>" + self.tr(
            "The weights are those of the configuration's model_params.load_params (a local checkpoint_path, "
            "or the Hugging Face model).") + "</p><p>" + self.tr(
            "A run manifest, planaura_run.json, is kept in the first save folder: running the same configuration "
            "again skips the pairs already complete whose inputs, options and outputs are unchanged, and "
            "recomputes the mosaic only when one of its inputs changed. A pair that fails (for example an "
            "unreadable image) is reported with its reason and the other pairs are completed.") + "</p>"

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        self.addParameter(QgsProcessingParameterFile(
            self.P_CONFIG, self.tr(self._CONFIG), behavior=QgsProcessingParameterFile.File,
            fileFilter=self.tr("YAML files (*.yaml *.yml);;All files (*)")))
        self.addParameter(QgsProcessingParameterFile(
            self.P_WORKING_FOLDER, self.tr(self._WORKING_FOLDER), behavior=QgsProcessingParameterFile.Folder,
            optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            self.P_RUN_DEVICE, self.tr(self._RUN_DEVICE),
            options=[self.tr("From the configuration"), self.tr("auto"), self.tr("cpu"), self.tr("cuda")],
            defaultValue=0))
        self.addParameter(QgsProcessingParameterBoolean(self.P_DRY_RUN, self.tr(self._DRY_RUN), defaultValue=False))
        self.addParameter(QgsProcessingParameterBoolean(self.P_FORCE, self.tr(self._FORCE), defaultValue=False))
        self.addParameter(QgsProcessingParameterString(self.P_SCHEDULER, self.tr(self._SCHEDULER), optional=True))
        self.addOutput(QgsProcessingOutputFolder(self.P_OUTPUT_FOLDER, self.tr(self._OUTPUT_FOLDER)))
        self.addOutput(QgsProcessingOutputMultipleLayers(self.P_OUTPUT_LAYERS, self.tr(self._OUTPUT_LAYERS)))
        self.addOutput(QgsProcessingOutputString(self.P_OUTPUT_FILES, self.tr(self._OUTPUT_FILES)))

    def processAlgorithm(self, parameters: Dict[str, Any], context, feedback) -> Dict[str, Any]:  # noqa: N802
        from ..planaura_plugin import upstream
        from ..planaura_plugin.runs import run_plan

        config_path = self.parameterAsFile(parameters, self.P_CONFIG, context)
        cwd = self.parameterAsFile(parameters, self.P_WORKING_FOLDER, context) or \
            os.path.dirname(os.path.abspath(config_path))
        device = DEVICE_CHOICES[self.parameterAsEnum(parameters, self.P_RUN_DEVICE, context)]
        scheduler = (self.parameterAsString(parameters, self.P_SCHEDULER, context) or "").strip() or None
        with self.core_errors(feedback):
            if scheduler:
                from ..planaura_plugin.runs.dask import parse_scheduler

                parse_scheduler(scheduler)
            plan = upstream.plan_from_file(config_path, cwd=cwd, device=device)
        feedback.pushInfo(plan.describe())
        fm = plan.config.values.get("feature_maps") or {}
        if "infer" in plan.config.tasks and fm.get("return") and fm.get("write_as_df"):
            missing = missing_package_message("pyarrow", self.tr("feature_maps.write_as_df: true (GeoParquet tables)"))
            if missing:  # before any tile is computed
                raise QgsProcessingException(missing)
        folder = str(plan.config.save_folders.get(0) or cwd)
        folder = os.path.normpath(folder if os.path.isabs(folder) else os.path.join(cwd, folder))
        if self.parameterAsBoolean(parameters, self.P_DRY_RUN, context):
            return {self.P_OUTPUT_FOLDER: folder, self.P_OUTPUT_LAYERS: [], self.P_OUTPUT_FILES: ""}

        if "infer" in plan.config.tasks:
            require_torch()
        adapter = ProcessingFeedbackAdapter(feedback)
        with self.core_errors(feedback):
            result = run_plan(plan, adapter, scheduler=scheduler,
                              force=self.parameterAsBoolean(parameters, self.P_FORCE, context))

        rasters: List[str] = []
        kinds = {}
        for written in list(result.pairs.values()) + [result.mosaic]:
            for kind, path in written.items():
                kinds[path] = kind
        for path in result.files:
            kind = kinds.get(path, "")
            style = kind_style(kind)
            if not path.lower().endswith((".tif", ".tiff")) or not os.path.exists(path):
                continue
            rasters.append(path)
            if style:
                try:
                    styles.write_sidecar(path, style)
                except Exception as exc:  # noqa: BLE001 - the run itself succeeded
                    feedback.pushWarning(self.tr("No style written for {0}: {1}").format(path, exc))
        self.load_on_completion(result, kinds, context)
        for path in result.removed:
            feedback.pushInfo(self.tr("Removed (delete_residues): {0}").format(path))
        self.report_files(result, feedback)
        self.report_pairs(result, len(plan.pairs), feedback)
        return {self.P_OUTPUT_FOLDER: folder, self.P_OUTPUT_LAYERS: rasters,
                self.P_OUTPUT_FILES: "\n".join(result.files)}

    def report_files(self, result, feedback) -> None:
        """How many files this execution wrote, and how many it kept from an earlier one (never
        'written' for files a resumed run only kept)."""
        kept = bool(result.skipped or result.mosaic_skipped)
        if kept and not result.computed and not result.failed:
            feedback.pushInfo(self.tr(
                "Nothing to compute: every pair is unchanged since an earlier run; its {0} file(s) are kept. Tick "
                "'Recompute every pair' to compute them again.").format(len(result.files)))
        elif kept:
            feedback.pushInfo(self.tr("{0} file(s) in {1:.1f} s, those of the unchanged pairs kept").format(
                len(result.files), result.seconds))
        else:
            feedback.pushInfo(self.tr("{0} file(s) written in {1:.1f} s").format(len(result.files), result.seconds))

    def report_pairs(self, result, total: int, feedback) -> None:
        """Log what the run manifest says; fail naming the pairs that failed (the others are written)."""
        feedback.pushInfo(self.tr("Pairs: {0} computed, {1} unchanged since an earlier run (kept), {2} failed; "
                                  "run manifest {3}").format(len(result.computed), len(result.skipped),
                                                             len(result.failed), result.manifest))
        if result.failed:
            reasons = "; ".join(f"{fid.lstrip('!')}: {why}" for fid, why in result.failed.items())
            raise QgsProcessingException(self.tr(
                "{0} of {1} pair(s) failed ({2}). The other pairs are written; run the algorithm again to retry "
                "the failed ones.").format(len(result.failed), total, reasons))

    def load_on_completion(self, result, kinds: Dict[str, str], context) -> None:
        """In the toolbox, add the mosaic (or else every pair's change map) to the project, styled."""
        if context.project() is None:
            return
        if result.mosaic:
            chosen = [(p, k) for k, p in result.mosaic.items() if k in ("cosine_map", "persistence")]
        else:
            chosen = [(p, "cosine_map") for written in result.pairs.values() for k, p in written.items()
                      if k == "cosine_map"]
        # the persistence goes below the mosaic's change intensity, hidden (it would cover it, opaque)
        main = next((p for p, k in chosen if k == "cosine_map"), "")
        companions = [p for p, k in chosen if k != "cosine_map"] if result.mosaic else []
        for path, kind in chosen:
            if not os.path.exists(path):
                continue
            name = os.path.splitext(os.path.basename(path))[0]
            details = QgsProcessingContext.LayerDetails(name, context.project(), name)
            details.forceName = True
            processor = StyledLayerPostProcessor(name, kind_style(kind), DEFAULT_CLASS_THRESHOLDS,
                                                 visible=path not in companions, main=main, companions=companions)
            details.setPostProcessor(keep_post_processor(processor))
            context.addLayerToLoadOnCompletion(path, details)
