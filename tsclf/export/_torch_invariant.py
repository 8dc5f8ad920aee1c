"""The transfer-path steps as torch modules: whitening, envelope, cepstrum.

Registered with :func:`~tsclf.export.torch_step`. Each computes in float64,
as its transformer does, and returns what the transformer returns: the
input's dtype where the transformer casts back to it (a forest downstream
compares float32 values with its thresholds, so the casts sit where the
transformer's do). Only real FFTs are used: the negative frequencies of a
real series mirror the positive ones, and the exporter needs no complex
arithmetic beyond the FFTs themselves.
"""

from __future__ import annotations

import itertools

import numpy as np
import torch

from tsclf.export._torch_steps import torch_step
from tsclf.transformers import (
    CepstralCoefficients,
    CepstralPrewhitening,
    SquaredEnvelopeSpectrum,
)

# As the transformers: added to magnitudes before a division or a log.
_TINY = float(np.finfo(np.float64).tiny)


def _magnitude(spectrum: torch.Tensor) -> torch.Tensor:
    return torch.sqrt(spectrum.real**2 + spectrum.imag**2)


class _Prewhitening(torch.nn.Module):
    """:func:`~tsclf.transformers.cepstral_prewhitening` on real FFTs."""

    def __init__(self, length: int, lifter: int | None) -> None:
        super().__init__()
        not_dc = torch.ones(length // 2 + 1, dtype=torch.float64)
        not_dc[0] = 0.0
        self.register_buffer("not_dc", not_dc)
        # The cepstrum kept: quefrencies from the lifter on (none if None).
        if lifter is not None:
            kept = torch.ones(length, dtype=torch.float64)
            kept[:lifter] = 0.0
            if lifter > 1:
                kept[-(lifter - 1) :] = 0.0
            self.register_buffer("kept_quefrencies", kept)
        self.length, self.lifter = length, lifter

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x64 = x.double()
        spectrum = torch.fft.rfft(x64 - x64.mean(dim=-1, keepdim=True), dim=-1)
        magnitude = _magnitude(spectrum)
        scale = self.not_dc / (magnitude + _TINY)
        if self.lifter is not None:
            log_magnitude = torch.log(magnitude + _TINY)
            # As the transformer: 0 Hz takes bin 1's value, not rounding noise.
            log_magnitude = torch.cat(
                [log_magnitude[..., 1:2], log_magnitude[..., 1:]], -1
            )
            cepstrum = torch.fft.irfft(log_magnitude, n=self.length)
            liftered = torch.fft.rfft(cepstrum * self.kept_quefrencies, dim=-1)
            scale = scale * torch.exp(liftered.real)
        flat = torch.complex(spectrum.real * scale, spectrum.imag * scale)
        return torch.fft.irfft(flat, n=self.length, dim=-1).to(x.dtype)


@torch_step.register
def _(step: CepstralPrewhitening) -> torch.nn.Module:
    return _Prewhitening(step.length_, step.lifter)


class _EnvelopeSpectra(torch.nn.Module):
    """:class:`~tsclf.transformers.SquaredEnvelopeSpectrum`'s transform.

    The analytic signal of each carrier band is ``a + ib`` with ``a`` and
    ``b`` inverse real FFTs of the band's bins (``b`` rotated by a quarter
    turn), halved where numpy's full-length transform doubles them.
    """

    def __init__(self, step: SquaredEnvelopeSpectrum) -> None:
        super().__init__()
        length, rate = step.length_, step.sampling_rate
        frequencies = np.arange(length // 2 + 1) * rate / length
        edges = step.carrier_edges_
        weights = []
        for low, high in itertools.pairwise(edges):
            # numpy doubles the positive frequencies below Nyquist and zeroes
            # the rest; an inverse real FFT doubles every bin but 0 Hz and
            # Nyquist, so these weigh 1 at 0 Hz, 1 inside, 0 at Nyquist.
            weight = np.ones(frequencies.size)
            if length % 2 == 0:
                weight[-1] = 0.0
            weight[(frequencies < low) | (frequencies > high)] = 0.0
            weights.append(weight)
        self.register_buffer("weights", torch.tensor(np.array(weights)))
        bins = np.rint(step.frequencies_ * length / rate).astype(np.int64)
        self.register_buffer("bins", torch.from_numpy(bins))
        self.length, self.normalize = length, step.normalize

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n_windows = x.shape[0]
        spectrum = torch.fft.rfft(x.double(), dim=-1)
        # The exporter takes no complex operands beyond the FFTs' own.
        real = spectrum.real.unsqueeze(-2) * self.weights  # (..., bands, bins)
        imag = spectrum.imag.unsqueeze(-2) * self.weights
        in_phase = torch.fft.irfft(torch.complex(real, imag), n=self.length)
        quadrature = torch.fft.irfft(torch.complex(imag, -real), n=self.length)
        squared = in_phase**2 + quadrature**2
        squared = squared - squared.mean(dim=-1, keepdim=True)
        spectra = _magnitude(torch.fft.rfft(squared, dim=-1)) / self.length
        spectra = spectra.index_select(-1, self.bins)
        if self.normalize:
            mean = spectra.mean(dim=-1, keepdim=True)
            spectra = spectra / torch.where(mean > 0, mean, torch.ones_like(mean))
        # Channel-major: every carrier band of a channel, then the next's.
        return spectra.reshape(n_windows, -1, spectra.shape[-1]).to(x.dtype)


@torch_step.register
def _(step: SquaredEnvelopeSpectrum) -> torch.nn.Module:
    return _EnvelopeSpectra(step)


class _Cepstrum(torch.nn.Module):
    """:func:`~tsclf.transformers.real_cepstrum`, coefficient-major, float64.

    The transformer takes any window length, so the Hann window is built
    for the length the graph is exported with.
    """

    def __init__(self, n_coefficients: int) -> None:
        super().__init__()
        self.n_coefficients = n_coefficients

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        length = x.shape[-1]
        # np.hanning: 0.5 + 0.5 cos(pi n / (length - 1)), n from 1 - length
        # to length - 1 in steps of 2.
        steps = torch.arange(1 - length, length, 2, dtype=torch.float64)
        window = 0.5 + 0.5 * torch.cos(torch.pi * steps / (length - 1))
        x64 = x.double()
        centred = (x64 - x64.mean(dim=-1, keepdim=True)) * window
        magnitude = _magnitude(torch.fft.rfft(centred, dim=-1))
        cepstrum = torch.fft.irfft(torch.log(magnitude + _TINY), n=length)
        coefficients = cepstrum[..., 1 : self.n_coefficients + 1]
        return coefficients.transpose(1, 2).reshape(x.shape[0], -1)


@torch_step.register
def _(step: CepstralCoefficients) -> torch.nn.Module:
    return _Cepstrum(step.n_coefficients)
