"""The sin→cos model trained by numpy alone: its gradients, its Adam and its loss curve are
PyTorch's (float64), and it learns."""

import numpy as np
import pytest
import torch

from lstm_course.numpy_training import (
    SinCosParams,
    adam_step,
    article_model,
    loss_and_gradients,
    params_from_torch,
    predict,
    torch_twin_losses,
    train_numpy,
    training_sequence,
)
from lstm_course.torch_bridge import LSTM_TORCH_ROWS
from lstm_course.train import SinCosLSTM


@pytest.fixture(scope="module")
def start():
    model = article_model(0)
    return model, params_from_torch(model), *training_sequence()


def test_the_data_is_the_articles_training_half(start):
    _, _, xs, ys = start
    assert xs.shape == (100, 1) and ys.shape == (100,)
    np.testing.assert_allclose(ys**2 + xs[:, 0] ** 2, 1.0, atol=1e-6)  # sin² + cos² (float32 data)


@pytest.mark.training
def test_loss_and_gradients_equal_autograd(start):
    model, params, xs, ys = start
    loss, grads = loss_and_gradients(params, xs, ys)
    twin = SinCosLSTM(16).to(torch.float64)
    twin.load_state_dict({k: v.to(torch.float64) for k, v in model.state_dict().items()})
    out = twin(torch.from_numpy(xs).reshape(-1, 1, 1))
    torch_loss = torch.nn.functional.mse_loss(out, torch.from_numpy(ys).reshape(-1, 1, 1))
    torch_loss.backward()
    assert loss == pytest.approx(torch_loss.item(), abs=1e-14)
    np.testing.assert_allclose(predict(params, xs), out.detach().numpy().ravel(), atol=1e-14)
    np.testing.assert_allclose(grads.W_y, twin.linear.weight.grad.numpy(), atol=1e-14)
    np.testing.assert_allclose(grads.b_y, twin.linear.bias.grad.numpy(), atol=1e-14)
    lstm, H = twin.lstm, 16
    for k, gate in enumerate(LSTM_TORCH_ROWS):
        rows = slice(k * H, (k + 1) * H)
        dW = np.hstack([lstm.weight_hh_l0.grad[rows].numpy(), lstm.weight_ih_l0.grad[rows].numpy()])
        np.testing.assert_allclose(getattr(grads.lstm, f"W_{gate}"), dW, atol=1e-14)
        db = lstm.bias_ih_l0.grad[rows].numpy()  # = bias_hh's: one b, two PyTorch tensors
        np.testing.assert_allclose(getattr(grads.lstm, f"b_{gate}"), db, atol=1e-14)


@pytest.mark.training
def test_adam_step_is_torch_optim_adam():
    rng = np.random.default_rng(0)
    theta = {"w": rng.normal(size=(3, 2)), "b": rng.normal(size=3)}
    tensors = {k: torch.tensor(v, requires_grad=True) for k, v in theta.items()}
    optimizer = torch.optim.Adam(tensors.values(), lr=0.05, betas=(0.8, 0.99), foreach=False)
    state = None
    for _ in range(5):
        grads = {k: rng.normal(size=v.shape) for k, v in theta.items()}
        theta, state = adam_step(theta, grads, state, lr=0.05, betas=(0.8, 0.99))
        for k, tensor in tensors.items():
            tensor.grad = torch.tensor(grads[k])
        optimizer.step()
    for k in theta:
        np.testing.assert_allclose(theta[k], tensors[k].detach().numpy(), rtol=0, atol=1e-15)
    assert state.step == 5


@pytest.mark.training
def test_numpy_and_pytorch_loss_curves_agree_over_50_steps(start):
    model, params, xs, ys = start
    ours = train_numpy(params, xs, ys, epochs=50).losses
    theirs = torch_twin_losses(model, xs, ys, epochs=50)
    assert len(ours) == len(theirs) == 50
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-8)
    assert ours[-1] < ours[0]


@pytest.mark.training
def test_the_twin_s_adam_is_torch_optims_adam(start, monkeypatch):
    """The twin's recall.Adam (no torch._dynamo import) is torch.optim.Adam, bit for bit."""
    model, _, xs, ys = start
    ours = torch_twin_losses(model, xs, ys, epochs=30)
    monkeypatch.setattr(
        "lstm_course.numpy_training.Adam",
        lambda params, lr, betas: torch.optim.Adam(params, lr=lr, betas=betas, foreach=False),
    )
    assert torch_twin_losses(model, xs, ys, epochs=30) == ours


@pytest.mark.training
def test_numpy_alone_learns_sin_to_cos(start):
    _, params, xs, ys = start
    run = train_numpy(params, xs, ys, epochs=1000, target_loss=1e-3)
    assert run.losses[-1] < 1e-3 and len(run.losses) < 1000
    assert 0 < run.cpu_seconds and 0 < run.seconds
    assert np.mean((predict(run.params, xs) - ys) ** 2) == pytest.approx(run.losses[-1])


def test_bad_input_is_refused(start):
    _, params, xs, ys = start
    with pytest.raises(ValueError, match=r"ys has shape \(99,\); expected \(100,\)"):
        loss_and_gradients(params, xs, ys[:-1])
    with pytest.raises(ValueError, match=r"W_y has shape \(1, 15\); expected \(1, 16\)"):
        SinCosParams(params.lstm, np.zeros((1, 15)), np.zeros(1))
    with pytest.raises(ValueError, match="epochs must be at least 1"):
        train_numpy(params, xs, ys, epochs=0)
    assert params.arrays().keys() == SinCosParams.from_arrays(params.arrays()).arrays().keys()
