"""The portal's services: what each does to the dossiers and catalogue, and what it answers.

``Portal.call`` checks the parameters against the contract's request schema of the service. A
request that breaks the contract as a whole (a missing ``isUpdating``, an empty ``data``...) is
refused ``"01"`` and nothing is applied. In a push, an item that breaks its schema is refused
``"01"`` on its own, naming the field, and the other items are applied; so is a dossier whose
``MaTTHC`` is not in the national catalogue, unless the portal is told to accept any, a dossier
whose ``MaTTHC`` a test told the portal to refuse (``refused``), an answer to a question the
portal did not send, a published question filed under a field the portal does not list, and an
evaluation of a dossier the portal does not hold or naming one criterion twice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mocks import stories
from mocks.national_portal import replies
from mocks.national_portal.catalogue import LISTS, LiveCatalogue, summary
from mocks.national_portal.contract import Contract, Violation
from mocks.national_portal.dossiers import DossierStore
from mocks.national_portal.questions import Questions
from mocks.national_portal.replies import Body
from mocks.national_portal.stories import EXISTS, NOT_FOUND, REFUSE

Params = dict[str, Any]
ItemErrors = dict[int, Violation]


def _is_item(violation: Violation) -> bool:
    path = violation.path
    return len(path) >= 2 and path[0] == "data" and isinstance(path[1], int)


def _code_of(entry: object, key: str = "MaHoSo") -> str:
    code = entry.get(key) if isinstance(entry, dict) else None
    return code if isinstance(code, str) else ""


def _refused(code: str, told: stories.Answer) -> Body:
    """The item a story told the portal to refuse, with its code and message."""
    message = told.params.get("message") or f"Hồ sơ {code} bị từ chối"
    return replies.item(code, told.params.get("code", replies.INVALID), message)


class Portal:
    """The services of the contract over one store of dossiers and one catalogue."""

    def __init__(
        self,
        contract: Contract,
        catalogue: LiveCatalogue,
        store: DossierStore,
        *,
        questions: Questions | None = None,
        known_procedures_only: bool = True,
        refused: dict[str, str] | None = None,
        emit: Callable[[str, dict[str, Any]], None] | None = None,
    ) -> None:
        self.contract = contract
        self._emit = emit or (lambda event, data: None)
        """Told of each change: ``dossier.created``, ``dossier.updated``, ``progress.added``,
        ``question.answered``, ``evaluation.received``."""
        self.refused = refused if refused is not None else {}
        """Procedure codes whose dossiers are refused ``"01"`` with the message given
        (``PUT /__admin/refused-procedures/{code}``), whatever the catalogue says."""
        self.catalogue = catalogue
        self.store = store
        self.questions = questions if questions is not None else Questions()
        self.known_procedures_only = known_procedures_only
        self._services: dict[str, Callable[[Params, ItemErrors], Body]] = {
            "DongBoHoSoMC": self._push_dossiers,
            "CapNhatTienDoHoSoMC": self._push_progress,
            "TraCuuHoSo": self._find_dossier,
            "LayDanhSachTTHC": self._list_procedures,
            "LayThuTuc": self._get_procedure,
            "LayDanhMucLinhVuc": self._list_fields,
            "LayDanhSachHoiDapGuiTuDVCQG": self._list_questions,
            "DongBoKetQuaHoiDapGuiTuDVCQG": self._push_answers,
            "DongBoHoiDap": self._push_published,
            "DongBoDanhGia": self._push_evaluations,
        }
        for service in LISTS:
            self._services[service] = self._list_of(service)

    def call(self, service: str, params: object) -> Body:
        """The reply of ``service`` (one of ``contract.SERVICES``) to ``params``."""
        violations = self.contract.violations(service, params)
        whole = [v for v in violations if not _is_item(v)]
        if whole:
            return replies.refusal(replies.INVALID, whole[0].message)
        item_errors: ItemErrors = {}
        for violation in violations:
            item_errors.setdefault(int(violation.path[1]), violation)
        assert isinstance(params, dict)
        return self._services[service](params, item_errors)

    def _push_dossiers(self, params: Params, errors: ItemErrors) -> Body:
        updating = params["isUpdating"] == "True"
        results: list[Body] = []
        for index, dossier in enumerate(params["data"]):
            code = _code_of(dossier)
            unknown = self._unknown_procedure(index, dossier)
            told = stories.answer_for("dossier", code)
            said_exists = told is not None and told.name == EXISTS
            if index in errors:
                results.append(replies.item(code, replies.INVALID, errors[index].message))
            elif unknown is not None:
                results.append(replies.item(code, replies.INVALID, unknown))
            elif told is not None and told.name == REFUSE:
                results.append(_refused(code, told))
            elif (not updating and code in self.store) or said_exists:
                results.append(replies.item(code, replies.EXISTS, f"Hồ sơ {code} đã tồn tại"))
            else:
                created = self.store.write(dossier)
                done = "Thêm mới hồ sơ thành công" if created else "Cập nhật hồ sơ thành công"
                results.append(replies.item(code, replies.SUCCESS, done))
                event = "dossier.created" if created else "dossier.updated"
                self._emit(event, {"MaHoSo": code, "MaTTHC": dossier.get("MaTTHC")})
        return replies.batch(results, "Đồng bộ hồ sơ thành công")

    def _unknown_procedure(self, index: int, dossier: Params) -> str | None:
        """Why the dossier's procedure is refused, or None when the catalogue has it."""
        procedure = dossier.get("MaTTHC") if isinstance(dossier, dict) else None
        if isinstance(procedure, str) and procedure in self.refused:
            return f"data[{index}].MaTTHC: {self.refused[procedure]}"
        if not self.known_procedures_only or not isinstance(procedure, str):
            return None
        if self.catalogue.procedure(procedure) is not None:
            return None
        return f"data[{index}].MaTTHC: thủ tục {procedure} không có trong danh mục thủ tục quốc gia"

    def _push_progress(self, params: Params, errors: ItemErrors) -> Body:
        results: list[Body] = []
        for index, step in enumerate(params["data"]):
            code = _code_of(step)
            told = stories.answer_for("dossier", code)
            if index in errors:
                results.append(replies.item(code, replies.INVALID, errors[index].message))
            elif told is not None and told.name == REFUSE:
                results.append(_refused(code, told))
            elif not self.store.append(step):
                unknown = f"data[{index}].MaHoSo: không tìm thấy hồ sơ {code} trên Cổng"
                results.append(replies.item(code, replies.INVALID, unknown))
            else:
                results.append(replies.item(code, replies.SUCCESS, "Cập nhật tiến độ thành công"))
                self._emit("progress.added", {"MaHoSo": code})
        return replies.batch(results, "Cập nhật tiến độ thành công")

    def _find_dossier(self, params: Params, errors: ItemErrors) -> Body:
        code: str = params["MaHoSo"]
        record = self.store.get(code)
        told = stories.answer_for("dossier", code)
        if record is None or (told is not None and told.name == NOT_FOUND):
            return replies.refusal(replies.NOT_FOUND, f"MaHoSo: không tìm thấy hồ sơ {code}")
        return replies.success(
            [record.dossier], "Tra cứu hồ sơ thành công", DanhSachTienDo=list(record.progress)
        )

    def _list_procedures(self, params: Params, errors: ItemErrors) -> Body:
        field_code = params.get("MaLinhVuc") or ""
        catalogue = self.catalogue
        found = catalogue.procedures_of(field_code) if field_code else catalogue.procedures
        return replies.success([summary(p) for p in found], "Lấy danh sách thủ tục thành công")

    def _get_procedure(self, params: Params, errors: ItemErrors) -> Body:
        code: str = params["MaTTHC"]
        procedure = self.catalogue.procedure(code)
        if procedure is None:
            return replies.refusal(replies.NOT_FOUND, f"MaTTHC: không tìm thấy thủ tục {code}")
        return replies.success([procedure], "Lấy thông tin thủ tục thành công")

    def _list_fields(self, params: Params, errors: ItemErrors) -> Body:
        return replies.success(self.catalogue.fields, "Lấy danh mục lĩnh vực thành công")

    def _list_of(self, service: str) -> Callable[[Params, ItemErrors], Body]:
        def answer(params: Params, errors: ItemErrors) -> Body:
            return replies.success(LISTS[service], "Lấy danh mục thành công")

        return answer

    def _list_questions(self, params: Params, errors: ItemErrors) -> Body:
        found = self.questions.listed(params.get("TRANGTHAI") or "")
        return replies.success(found, "Lấy danh sách hỏi đáp thành công")

    def _push_answers(self, params: Params, errors: ItemErrors) -> Body:
        results: list[Body] = []
        for index, answer in enumerate(params["data"]):
            key = _code_of(answer, "HOIDAPID")
            asked = self.questions.get(key)
            if index in errors:
                results.append(_by_question(key, replies.INVALID, errors[index].message))
            elif asked is None:
                unknown = f"data[{index}].HOIDAPID: không tìm thấy câu hỏi {key} gửi từ Cổng"
                results.append(_by_question(key, replies.INVALID, unknown))
            elif answer["MADONVI"] != asked.question["MADONVI"]:
                other = (
                    f"data[{index}].MADONVI: câu hỏi {key} gửi đơn vị "
                    f"{asked.question['MADONVI']}, không phải {answer['MADONVI']}"
                )
                results.append(_by_question(key, replies.INVALID, other))
            else:
                self.questions.answer(answer)
                results.append(_by_question(key, replies.SUCCESS, "Trả lời câu hỏi thành công"))
                self._emit("question.answered", {"HOIDAPID": key})
        return replies.batch(results, "Đồng bộ kết quả hỏi đáp thành công")

    def _push_published(self, params: Params, errors: ItemErrors) -> Body:
        fields = {f["MaLinhVuc"] for f in self.catalogue.fields}
        results: list[Body] = []
        for index, qa in enumerate(params["data"]):
            key = _code_of(qa, "HOIDAPID")
            if index in errors:
                results.append(_by_question(key, replies.INVALID, errors[index].message))
            elif qa["MaLinhVuc"] not in fields:
                unknown = (
                    f"data[{index}].MaLinhVuc: lĩnh vực {qa['MaLinhVuc']} không có trong danh mục"
                )
                results.append(_by_question(key, replies.INVALID, unknown))
            else:
                new = self.questions.publish(qa)
                done = "Thêm mới hỏi đáp thành công" if new else "Cập nhật hỏi đáp thành công"
                results.append(_by_question(key, replies.SUCCESS, done))
        return replies.batch(results, "Đồng bộ hỏi đáp thành công")

    def _push_evaluations(self, params: Params, errors: ItemErrors) -> Body:
        results: list[Body] = []
        for index, evaluation in enumerate(params["data"]):
            code = _code_of(evaluation)
            told = stories.answer_for("dossier", code)
            twice = _repeated_criterion(index, evaluation) if index not in errors else None
            if index in errors:
                results.append(replies.item(code, replies.INVALID, errors[index].message))
            elif twice is not None:
                results.append(replies.item(code, replies.INVALID, twice))
            elif told is not None and told.name == REFUSE:
                results.append(_refused(code, told))
            elif code not in self.store:
                unknown = f"data[{index}].MaHoSo: không tìm thấy hồ sơ {code} trên Cổng"
                results.append(replies.item(code, replies.INVALID, unknown))
            else:
                self.questions.evaluate(evaluation)
                results.append(replies.item(code, replies.SUCCESS, "Đồng bộ đánh giá thành công"))
                self._emit("evaluation.received", {"MaHoSo": code})
        return replies.batch(results, "Đồng bộ đánh giá thành công")


def _by_question(key: str, error_code: int | str, message: str) -> Body:
    return replies.item(key, error_code, message, key="HOIDAPID")


def _repeated_criterion(index: int, evaluation: Params) -> str | None:
    """Why an evaluation naming one criterion twice is refused, or None."""
    seen: set[str] = set()
    for position, criterion in enumerate(evaluation["DanhSachTieuChi"]):
        code = criterion["MaTieuChi"]
        if code in seen:
            return (
                f"data[{index}].DanhSachTieuChi[{position}].MaTieuChi: tiêu chí {code} "
                "đã được đánh giá ở trên"
            )
        seen.add(code)
    return None
