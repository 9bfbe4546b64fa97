"""Funding's forms, a section per chapter (errors shown through `anju.core.forms`)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from anju.engagement.portal_forms import MultipleFileField, MultipleFileInput

# --- ledger ---

MONEY_FIELD = {"max_digits": 16, "decimal_places": 2}


def _control(widget):
    widget.attrs.setdefault("class", "form-control form-control-sm")
    return widget


class LedgerPlanLineForm(forms.Form):
    """One line of the funding plan: a source, the paying organisation where its group needs
    one, and an amount (the service checks the rules across lines)."""

    source = forms.ModelChoiceField(label=_("资金来源"), queryset=None)
    payer = forms.ModelChoiceField(label=_("出资单位"), queryset=None, required=False)
    amount = forms.DecimalField(label=_("金额(元)"), **MONEY_FIELD)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, sources, payers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources
        self.fields["payer"].queryset = payers
        for field in self.fields.values():
            _control(field.widget)
            if isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "form-select form-select-sm"


class LedgerPostingForm(forms.Form):
    """A commitment (with its document), a receipt or a disbursement (payee, milestone),
    with up to three files; the service checks their content and size."""

    kind = forms.ChoiceField(label=_("类型"), choices=())
    source = forms.ModelChoiceField(label=_("资金来源"), queryset=None)
    amount = forms.DecimalField(label=_("金额(元)"), **MONEY_FIELD)
    entry_date = forms.DateField(
        label=_("业务日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    payer = forms.ModelChoiceField(label=_("出资单位"), queryset=None, required=False)
    payee = forms.CharField(label=_("收款单位"), max_length=120, required=False)
    milestone = forms.ModelChoiceField(label=_("对应进度节点"), queryset=None, required=False)
    document = forms.CharField(label=_("依据文件"), max_length=200, required=False)
    note = forms.CharField(label=_("摘要"), max_length=300, required=False)
    override_reason = forms.CharField(
        label=_("超进度拨付理由（市改造办）"), max_length=300, required=False
    )
    documents = MultipleFileField(
        label=_("附件（PDF、JPEG 或 PNG，最多 3 个，每个不超过 10 MB）"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    def __init__(self, *args, kinds, sources, payers, milestones, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds
        self.fields["source"].queryset = sources
        self.fields["payer"].queryset = payers
        self.fields["milestone"].queryset = milestones
        for field in self.fields.values():
            _control(field.widget)
            if isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "form-select form-select-sm"


class LedgerReverseForm(forms.Form):
    reason = forms.CharField(label=_("冲正理由"), max_length=300)


# --- end of ledger ---

# --- sharing ---


def _sharing_controls(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select form-select-sm")
        else:
            widget.attrs.setdefault("class", "form-control form-control-sm")


class SharingTermsForm(forms.Form):
    """How one item is shared: a utility owner (then nothing else), or the residents' part
    (a share or an amount, blank for the default) with its method, table and buildings."""

    utility_owner = forms.ModelChoiceField(
        label=_("管网产权专营单位"), queryset=None, required=False
    )
    residents_share = forms.DecimalField(
        label=_("居民分摊比例(0–1)"),
        max_digits=5,
        decimal_places=4,
        min_value=0,
        max_value=1,
        required=False,
    )
    residents_amount = forms.DecimalField(
        label=_("居民分摊金额(元)"), min_value=0, required=False, **MONEY_FIELD
    )
    method = forms.ChoiceField(label=_("分摊方式"), choices=(), required=False)
    table = forms.ModelChoiceField(label=_("楼层系数表"), queryset=None, required=False)
    buildings = forms.ModelMultipleChoiceField(
        label=_("受益楼栋（不选为全部楼栋）"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, utilities, tables, buildings, methods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["utility_owner"].queryset = utilities
        self.fields["table"].queryset = tables
        self.fields["buildings"].queryset = buildings
        self.fields["method"].choices = [("", _("默认（按专有面积）")), *methods]
        _sharing_controls(self)

    def clean(self):
        data = super().clean()
        if data.get("residents_share") is not None and data.get("residents_amount") is not None:
            raise forms.ValidationError(_("居民分摊请填写比例或金额，不能同时填写。"))
        return data


class SharingTableForm(forms.Form):
    """A new floor-coefficient table: one "floor: coefficient" a line."""

    code = forms.SlugField(label=_("编码"), max_length=40)
    name = forms.CharField(label=_("名称"), max_length=80)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)
    multiply_by_area = forms.BooleanField(label=_("乘以专有面积"), required=False)
    rows = forms.CharField(
        label=_("各层系数（每行“楼层: 系数”）"),
        widget=forms.Textarea(attrs={"rows": 8, "placeholder": "1: 0\n2: 0\n3: 1.0\n4: 1.2"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _sharing_controls(self)


# --- end of sharing ---

# --- contracts ---


def _contract_control(widget: forms.Widget) -> forms.Widget:
    widget.attrs.setdefault(
        "class", "form-select" if isinstance(widget, forms.Select) else "form-control"
    )
    return widget


class ContractForm(forms.Form):
    """A contract's shape; the service checks the district, the enterprise and who may."""

    number = forms.CharField(label=_("合同编号"), max_length=40)
    name = forms.CharField(label=_("合同名称"), max_length=120)
    kind = forms.ChoiceField(label=_("模式"))
    enterprise = forms.ModelChoiceField(
        label=_("实施主体"),
        queryset=None,
        help_text=_("受托企业或 PPP 项目公司（须有统一社会信用代码）"),
    )
    projects = forms.ModelMultipleChoiceField(
        label=_("覆盖项目"), queryset=None, help_text=_("同一个区的一个或多个项目")
    )
    investment_committed = forms.DecimalField(
        label=_("承诺投资(元)"), max_digits=16, decimal_places=2, min_value=0
    )
    signed_on = forms.DateField(
        label=_("签订日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    term_years = forms.IntegerField(label=_("合作期限(年)"), min_value=1, max_value=50)
    obligations = forms.CharField(
        label=_("主要义务"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, enterprises, projects, **kwargs):
        from .models import InvestmentContract

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = InvestmentContract.Kind.choices
        self.fields["enterprise"].queryset = enterprises
        self.fields["projects"].queryset = projects
        self.fields["projects"].widget.attrs["size"] = 8
        for field in self.fields.values():
            _contract_control(field.widget)


class RevenueRightForm(forms.Form):
    kind = forms.ChoiceField(label=_("收益类型"))
    expected_yearly_revenue = forms.DecimalField(
        label=_("预计年收益(元)"), max_digits=16, decimal_places=2, min_value=0
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        from .models import RevenueRight

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = RevenueRight.Kind.choices
        for field in self.fields.values():
            _contract_control(field.widget)


class ContractFlowForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("类型"))
    amount = forms.DecimalField(label=_("金额(元)"), max_digits=16, decimal_places=2)

    def __init__(self, *args, **kwargs):
        from .models import ContractFlow

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ContractFlow.Kind.choices
        for field in self.fields.values():
            _contract_control(field.widget)


class LoanForm(forms.Form):
    lender = forms.CharField(label=_("贷款机构"), max_length=120)
    kind = forms.ChoiceField(label=_("类型"))
    borrower = forms.ModelChoiceField(label=_("借款单位"), queryset=None, required=False)
    district = forms.ChoiceField(label=_("所属区"))
    amount = forms.DecimalField(label=_("贷款金额(元)"), max_digits=16, decimal_places=2)
    annual_rate = forms.DecimalField(
        label=_("年利率(%)"), max_digits=5, decimal_places=3, min_value=0, max_value=30
    )
    term_months = forms.IntegerField(label=_("期限(月)"), min_value=1, max_value=600)
    starts_on = forms.DateField(
        label=_("放款日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    projects = forms.ModelMultipleChoiceField(
        label=_("支持项目"), queryset=None, required=False, help_text=_("贷款所属区的项目")
    )

    def __init__(self, *args, borrowers, districts, projects, **kwargs):
        from .models import Loan

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Loan.Kind.choices
        self.fields["borrower"].queryset = borrowers
        self.fields["district"].choices = [(d.code, d.name) for d in districts]
        self.fields["projects"].queryset = projects
        self.fields["projects"].widget.attrs["size"] = 8
        for field in self.fields.values():
            _contract_control(field.widget)


# --- end of contracts ---
