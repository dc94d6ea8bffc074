"""Fiji script parameters (#@) filled from name=value arguments."""

from __future__ import annotations

import pytest

from bridge.script_params import Parameter, declared_parameters, fill_parameters

SCRIPT = """#@ String name
#@ int (label="Count", value=2) n
#@ float scale
#@ boolean flag
#@output String result
#@ LogService log
print(name)
"""


def test_inputs_are_declared_in_order_outputs_and_services_skipped():
    assert declared_parameters(SCRIPT) == [Parameter("String", "name", None), Parameter("int", "n", "2"),
                                           Parameter("float", "scale", None), Parameter("boolean", "flag", None)]


def test_values_convert_to_their_types_and_defaults_apply():
    assert fill_parameters(SCRIPT, ["name=a b", "scale=0.5", "flag=true", "other=ignored"]) == \
        {"name": "a b", "n": 2, "scale": 0.5, "flag": True}


def test_a_missing_parameter_is_named():
    with pytest.raises(ValueError, match=r"missing script parameter 'scale' \(#@ float scale\)"):
        fill_parameters(SCRIPT, ["name=x", "flag=false"])


def test_a_value_of_the_wrong_type_is_named():
    with pytest.raises(ValueError, match=r"script parameter 'n' \(#@ int\): 'many' is not a int"):
        fill_parameters(SCRIPT, ["name=x", "n=many", "scale=1", "flag=0"])
