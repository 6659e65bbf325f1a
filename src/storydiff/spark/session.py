"""A SparkSession with storydiff's defaults. Imported only by the Spark engine (optional extra)."""

from __future__ import annotations

import os
import shutil
from typing import Any

from storydiff.errors import SparkUnavailable


def check_spark() -> None:
    try:
        import pyspark  # noqa: F401
    except ImportError as exc:
        raise SparkUnavailable("PySpark is not installed: pip install 'storydiff[spark]'") from exc
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        raise SparkUnavailable(
            "Spark needs Java 17: install a JDK (e.g. apt-get install openjdk-17-jre-headless)"
        )


def get_session(
    master: str | None = None, *, app_name: str = "storydiff", conf: dict[str, str] | None = None
) -> Any:
    """The active session, or a new one (``local[2]`` unless ``master`` or spark-submit says otherwise)."""
    check_spark()
    import sys

    from pyspark.sql import SparkSession

    # Workers must run the interpreter that has storydiff installed (local mode and tests);
    # on a cluster, spark-submit's PYSPARK_PYTHON wins.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)

    builder = SparkSession.builder.appName(app_name)
    if master:
        builder = builder.master(master)
    elif not os.environ.get("SPARK_MASTER") and "spark.master" not in (conf or {}):
        builder = builder.master(os.environ.get("STORYDIFF_SPARK_MASTER", "local[2]"))
    defaults = {
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.shuffle.partitions": "8",
        "spark.python.worker.reuse": "true",  # models load once per worker process, not per task
        "spark.sql.execution.arrow.pyspark.enabled": "true",
        "spark.driver.memory": "4g",
    }
    defaults.update(conf or {})
    for key, value in defaults.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session
