"""Test data. Brands are made through ``brand_create`` so derived columns and history are real."""

import factory
from django.contrib.auth import get_user_model

from brands.choices import Category, MembershipRole
from brands.models import Brand, BrandMembership
from brands.services import brand_create

User = get_user_model()
PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    role = User.Role.BRAND
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ManagerFactory(UserFactory):
    role = User.Role.MANAGER


class EditorFactory(UserFactory):
    role = User.Role.EDITOR


class BrandFactory(factory.django.DjangoModelFactory):
    """``BrandFactory(name_zh_hans="...", stores=[...])``: any brand field or child list, through the service."""

    class Meta:
        model = Brand

    slug = factory.Sequence(lambda n: f"brand-{n:05d}")
    name_it = factory.Sequence(lambda n: f"Azienda Agricola {n:05d}")
    name_en = factory.LazyAttribute(lambda b: b.name_it)
    name_zh_hans = factory.Sequence(lambda n: f"意大利品牌{n}")
    category = Category.FOOD_BEVERAGE
    region = "toscana"
    city = "Firenze"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        children = {k: kwargs.pop(k) for k in ("stores", "products", "certifications", "contacts") if k in kwargs}
        user = kwargs.pop("user", None)
        return brand_create(user=user, fields=kwargs, **children)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BrandMembership

    user = factory.SubFactory(UserFactory)
    brand = factory.SubFactory(BrandFactory)
    role = MembershipRole.VIEWER
