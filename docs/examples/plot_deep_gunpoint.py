"""
A deep classifier on a UCR set
==============================

A small convolutional network on GunPoint (shipped with sktime), then its
training curves.

GunPoint has 50 training series. Holding a fifth of them out for early
stopping would cost the network a fifth of its data, so, as the dl-4-tsc
study did, this example trains on all 50 and keeps the epoch with the
lowest training loss (``validation=None``), in small batches.
"""

# %%
from tsclf.classification import CNNClassifier
from tsclf.datasets import load_ucr_uea
from tsclf.metrics import plot_training_curves

X_train, y_train = load_ucr_uea("GunPoint", split="train")
X_test, y_test = load_ucr_uea("GunPoint", split="test")
model = CNNClassifier(
    max_epochs=150,
    batch_size=8,
    validation=None,
    early_stopping_patience=30,
    random_state=0,
)
model.fit(X_train, y_train)
accuracy = model.score(X_test, y_test)
print(f"test accuracy: {accuracy:.3f} after {model.n_epochs_} epochs")

# %%
plot_training_curves(model)
